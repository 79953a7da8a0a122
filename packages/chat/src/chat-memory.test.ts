import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from './__fixtures__/dataset.js';
import { openChatMemory, type ChatMemory } from './chat-memory.js';
import { openDatabase } from './sqlite.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);

/** What another process reading the memory file sees of a counterpart, 2 s after T0. */
function historyInFile(file: string, counterpart: string) {
  const reader = openChatMemory(file, { gapMinutes: 60 });
  try {
    return reader.history(counterpart, T0 + 2000);
  } finally {
    reader.close();
  }
}

let memory: ChatMemory;
beforeEach(() => {
  memory = openChatMemory(':memory:', { gapMinutes: 60 });
});
afterEach(() => {
  memory.close();
});

describe('openChatMemory', () => {
  it('merges consecutive turns of one side with a newline, as training did', () => {
    memory.append('alex', { role: 'user', content: 'hey' }, T0);
    memory.append('alex', { role: 'user', content: 'you there?' }, T0 + MINUTE);
    memory.append('alex', { role: 'assistant', content: 'yes' }, T0 + 2 * MINUTE);
    memory.append('alex', { role: 'assistant', content: 'what’s up' }, T0 + 2 * MINUTE);
    expect(memory.history('alex', T0 + 3 * MINUTE)).toEqual([
      { role: 'user', content: 'hey\nyou there?' },
      { role: 'assistant', content: 'yes\nwhat’s up' },
    ]);
  });

  it('starts a new session after the gap, forgetting the old one', () => {
    memory.append('alex', { role: 'user', content: 'hey' }, T0);
    memory.append('alex', { role: 'assistant', content: 'yo' }, T0 + MINUTE);
    expect(memory.history('alex', T0 + 61 * MINUTE)).toHaveLength(2);
    expect(memory.history('alex', T0 + 62 * MINUTE)).toEqual([]);
    // A same-role turn after the gap is not merged into the old session.
    memory.append('alex', { role: 'assistant', content: 'morning' }, T0 + 120 * MINUTE);
    memory.append('alex', { role: 'user', content: 'hi again' }, T0 + 121 * MINUTE);
    expect(memory.history('alex', T0 + 122 * MINUTE)).toEqual([
      { role: 'assistant', content: 'morning' },
      { role: 'user', content: 'hi again' },
    ]);
  });

  it('keeps at most maxTurns turns, the most recent', () => {
    const small = openChatMemory(':memory:', { gapMinutes: 60, maxTurns: 3 });
    for (let index = 0; index < 6; index += 1) {
      small.append(
        'alex',
        { role: index % 2 === 0 ? 'user' : 'assistant', content: `turn ${index}` },
        T0 + index * MINUTE,
      );
    }
    expect(small.history('alex', T0 + 6 * MINUTE).map((turn) => turn.content)).toEqual([
      'turn 3',
      'turn 4',
      'turn 5',
    ]);
    small.close();
  });

  it('keeps each counterpart apart, and clears one', () => {
    memory.append('alex', { role: 'user', content: 'from alex' }, T0);
    memory.append('+15551234567', { role: 'user', content: 'from a phone' }, T0);
    expect(memory.history('alex', T0)).toEqual([{ role: 'user', content: 'from alex' }]);
    expect(memory.history('+15551234567', T0)).toEqual([{ role: 'user', content: 'from a phone' }]);
    memory.clear('alex');
    expect(memory.history('alex', T0)).toEqual([]);
    expect(memory.history('+15551234567', T0)).toHaveLength(1);
  });

  it('ignores blank turns and refuses unknown roles', () => {
    memory.append('alex', { role: 'user', content: '  ' }, T0);
    expect(memory.history('alex', T0)).toEqual([]);
    expect(() => memory.append('alex', { role: 'system' as 'user', content: 'x' }, T0)).toThrow(
      'a turn\'s role must be "user" or "assistant", not system',
    );
  });

  it('persists in a file across reopening, readable by its owner only', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'nested', 'memory.sqlite');
      const first = openChatMemory(file, { gapMinutes: 60 });
      first.append('alex', { role: 'user', content: 'remember me?' }, T0);
      first.close();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const second = openChatMemory(file, { gapMinutes: 60 });
      expect(second.history('alex', T0 + MINUTE)).toEqual([
        { role: 'user', content: 'remember me?' },
      ]);
      second.close();
    } finally {
      await folder.remove();
    }
  });

  it('writes the turns of one event-loop turn to the file together, and reads see them at once', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      const inFile = (counterpart: string) => historyInFile(file, counterpart);
      const writer = openChatMemory(file, { gapMinutes: 60 });
      writer.append('alex', { role: 'user', content: 'you up?' }, T0);
      writer.append('alex', { role: 'assistant', content: 'yes' }, T0 + 1000);
      // Not in the file yet: another connection sees nothing, this one sees both turns.
      expect(inFile('alex')).toEqual([]);
      expect(writer.history('alex', T0 + 2000)).toHaveLength(2);
      writer.append('sam', { role: 'user', content: 'hi' }, T0);
      // Reading another counterpart leaves the batch waiting.
      writer.history('alex', T0 + 2000);
      expect(inFile('sam')).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(inFile('sam')).toEqual([{ role: 'user', content: 'hi' }]);
      expect(inFile('alex')).toHaveLength(2);
      writer.clear('alex');
      expect(writer.history('alex', T0 + 2000)).toEqual([]);
      writer.close();
      expect(inFile('alex')).toEqual([]);
    } finally {
      await folder.remove();
    }
  });

  it('with flushMs, lets turns gather that long before they go to the file, and writes them on close', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      const inFile = (counterpart: string) => historyInFile(file, counterpart);
      const writer = openChatMemory(file, { gapMinutes: 60, flushMs: 40 });
      writer.append('alex', { role: 'user', content: 'you up?' }, T0);
      await new Promise((resolve) => setImmediate(resolve));
      // Past the end of the event-loop turn, still waiting; this process sees it already.
      expect(inFile('alex')).toEqual([]);
      expect(writer.history('alex', T0 + 2000)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(inFile('alex')).toEqual([{ role: 'user', content: 'you up?' }]);
      writer.append('alex', { role: 'assistant', content: 'yes' }, T0 + 1000);
      writer.close();
      expect(inFile('alex')).toHaveLength(2);
    } finally {
      await folder.remove();
    }
  });

  it('with worker, commits in a worker thread: the same file, reads wait for it, close leaves no log', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      const options = { gapMinutes: 60, maxTurns: 3 };
      const writer = openChatMemory(file, { ...options, worker: true });
      const plain = openChatMemory(join(folder.dir, 'plain.sqlite'), options);
      for (let turn = 0; turn < 40; turn += 1) {
        const who = `+1555000${turn % 4}`;
        // Some counterparts are read first (their turns are planned here), some never are.
        if (turn === 0 || turn === 1) {
          writer.history(who, T0);
          plain.history(who, T0);
        }
        const role = turn % 3 === 0 ? 'user' : 'assistant';
        const time = T0 + (turn > 30 ? 200 : turn) * MINUTE;
        writer.append(who, { role, content: `turn ${turn}` }, time);
        plain.append(who, { role, content: `turn ${turn}` }, time);
        if (turn % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      // Never read before: the read waits for the worker's commits, then asks the file.
      writer.append('+15559999', { role: 'user', content: 'hello' }, T0);
      expect(writer.history('+15559999', T0)).toEqual([{ role: 'user', content: 'hello' }]);
      const later = T0 + 201 * MINUTE;
      for (let n = 0; n < 4; n += 1) {
        const who = `+1555000${n}`;
        expect(writer.history(who, later), who).toEqual(plain.history(who, later));
        await vi.waitFor(() =>
          expect(historyInFile(file, who)).toEqual(
            historyInFile(join(folder.dir, 'plain.sqlite'), who),
          ),
        );
      }
      writer.close();
      plain.close();
      // The worker let go of the file first: the writer's close copied the log and removed it.
      expect(existsSync(`${file}-wal`)).toBe(false);
      const reader = openChatMemory(file, options);
      const plainReader = openChatMemory(join(folder.dir, 'plain.sqlite'), options);
      expect(reader.history('+15550003', later)).toEqual(plainReader.history('+15550003', later));
      plainReader.close();
      reader.close();
    } finally {
      await folder.remove();
    }
  });

  it('remembers in memory what it wrote: merges, new sessions and maxTurns as in the file', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      const options = { gapMinutes: 60, maxTurns: 3 };
      const writer = openChatMemory(file, options);
      const steps: [string, 'user' | 'assistant', string, number][] = [
        ['a', 'user', 'one', T0],
        ['a', 'user', 'two', T0 + MINUTE],
        ['a', 'assistant', 'three', T0 + 2 * MINUTE],
        ['b', 'user', 'elsewhere', T0],
        ['a', 'user', 'four', T0 + 3 * MINUTE],
        ['a', 'assistant', 'five', T0 + 4 * MINUTE],
        ['a', 'user', 'after a long silence', T0 + 200 * MINUTE],
        ['a', 'assistant', 'hey', T0 + 201 * MINUTE],
      ];
      for (const [index, [who, role, content, time]] of steps.entries()) {
        // Read first, so that the in-memory copy is used for every later step.
        if (index === 0) writer.history(who, time);
        writer.append(who, { role, content }, time);
        const fromMemory = writer.history(who, time);
        await new Promise((resolve) => setImmediate(resolve));
        const reader = openChatMemory(file, options);
        expect(fromMemory, `after "${content}"`).toEqual(reader.history(who, time));
        reader.close();
      }
      expect(writer.history('a', T0 + 201 * MINUTE)).toEqual([
        { role: 'user', content: 'after a long silence' },
        { role: 'assistant', content: 'hey' },
      ]);
      writer.close();
    } finally {
      await folder.remove();
    }
  });

  it('keeps the file to at most twice maxTurns per counterpart, deleting old turns in batches', async () => {
    const folder = await tempDir();
    try {
      const file = join(folder.dir, 'memory.sqlite');
      const memory = openChatMemory(file, { gapMinutes: 60, maxTurns: 3 });
      memory.history('alex', T0);
      const rowsInFile = () => {
        const db = openDatabase(file);
        try {
          return (db.prepare('SELECT count(*) AS n FROM turns').get() as { n: number }).n;
        } finally {
          db.close();
        }
      };
      const counts: number[] = [];
      for (let turn = 0; turn < 20; turn += 1) {
        const role = turn % 2 === 0 ? 'user' : 'assistant';
        memory.append('alex', { role, content: `turn ${turn}` }, T0 + turn * 1000);
        await new Promise((resolve) => setImmediate(resolve));
        counts.push(rowsInFile());
      }
      expect(Math.max(...counts)).toBeLessThanOrEqual(6);
      expect(counts).toContain(3);
      const reader = openChatMemory(file, { gapMinutes: 60, maxTurns: 3 });
      const expected = [17, 18, 19].map((turn) => ({
        role: turn % 2 === 0 ? 'user' : 'assistant',
        content: `turn ${turn}`,
      }));
      expect(reader.history('alex', T0 + 20_000)).toEqual(expected);
      expect(memory.history('alex', T0 + 20_000)).toEqual(expected);
      reader.close();
      memory.close();
    } finally {
      await folder.remove();
    }
  });

  it('refuses a gap that is not positive', () => {
    expect(() => openChatMemory(':memory:', { gapMinutes: 0 })).toThrow(
      'gapMinutes must be a positive number, not 0',
    );
  });
});
