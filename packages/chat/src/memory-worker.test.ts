import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from './__fixtures__/dataset.js';
import { openChatMemory } from './chat-memory.js';
import { startMemoryWorker } from './memory-worker.js';
import { openDatabase } from './sqlite.js';

const T0 = Date.UTC(2026, 0, 1, 12);

describe('startMemoryWorker', () => {
  it('writes in this thread, starting with what the worker left, when the worker cannot start', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      // The file and its schema, as openChatMemory makes them.
      openChatMemory(file, { gapMinutes: 60 }).close();
      const db = openDatabase(file);
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const worker = startMemoryWorker(db, file, 20, 3_600_000, join(folder.dir, 'no-driver.js'));
      worker.post([{ counterpart: 'alex', turn: { role: 'user', content: 'one' }, time: T0 }]);
      const rows = () =>
        (db.prepare('SELECT content FROM turns ORDER BY id').all() as { content: string }[]).map(
          (row) => row.content,
        );
      // The worker fails to load its driver; this thread writes the batch it was handed, and
      // says so once.
      await vi.waitFor(() => expect(rows()).toEqual(['one']));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain("the memory's worker thread stopped");
      worker.post([
        { counterpart: 'alex', turn: { role: 'assistant', content: 'two' }, time: T0 + 1000 },
      ]);
      expect(rows()).toEqual(['one', 'two']);
      worker.settle();
      worker.close();
      expect(worker.takeFailure()).toBeUndefined();
      db.close();
      warn.mockRestore();
    } finally {
      await folder.remove();
    }
  });
});
