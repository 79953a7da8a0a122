import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs, writeDataset } from './__fixtures__/data.js';
import { startOpenAIEmulator } from './emulator/index.js';
import { openLedger } from './ledger.js';
import { createOpenAIProvider } from './openai-provider.js';

const tempDir = useTempDirs();
const child = fileURLToPath(new URL('./__fixtures__/follow-child.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

describe('follow killed with SIGKILL, then run again', () => {
  it('resumes after the last event recorded, losing none', async () => {
    // Every request moves the emulated clock, so the job runs while the child polls.
    const emulator = await startOpenAIEmulator({ autoAdvanceSeconds: 1 });
    const dir = await tempDir();
    const ledgerPath = join(dir, 'finetune.sqlite');
    try {
      const data = await writeDataset(dir, { train: 12 });
      let ledger = openLedger(ledgerPath);
      const job = await createOpenAIProvider({
        apiKey: 'k',
        baseURL: emulator.baseURL,
        ledger,
      }).start(data, { model: 'gpt-4o-mini-2024-07-18' });
      ledger.close();

      const follower = spawn(
        process.execPath,
        [
          '--conditions=@alterego/source',
          '--import',
          tsx,
          child,
          ledgerPath,
          emulator.baseURL,
          job.id,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let shown: string[] = [];
      let buffer = '';
      await new Promise<void>((resolve, reject) => {
        follower.on('error', reject);
        follower.on('exit', () => resolve());
        follower.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          shown = buffer.split('\n').filter(Boolean);
          if (shown.length >= 15) follower.kill('SIGKILL');
        });
      });
      expect(follower.signalCode).toBe('SIGKILL');

      ledger = openLedger(ledgerPath);
      const recorded = ledger.jobById(job.id)?.lastEventId;
      expect(recorded).toBeDefined();
      expect(shown).toContain(recorded);
      const resumed: string[] = [];
      const provider = createOpenAIProvider({
        apiKey: 'k',
        baseURL: emulator.baseURL,
        ledger,
        pollIntervalMs: 0,
        retry: { sleep: async () => emulator.advance(60) },
      });
      for await (const item of provider.events(job.id)) {
        if (item.type === 'event') resumed.push(item.event.id);
      }
      ledger.close();

      const all: string[] = [];
      for await (const event of provider.client.fineTuning.jobs.listEvents(job.id))
        all.unshift(event.id);
      // The first event after the one recorded, then every later one, once.
      expect(resumed).toEqual(all.slice(all.indexOf(recorded!) + 1));
      // Shown before the kill and after: everything, at most the unrecorded last one twice.
      expect(new Set([...shown, ...resumed])).toEqual(new Set(all));
      expect(shown.length + resumed.length - all.length).toBeLessThanOrEqual(1);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
