import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openInput } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { Capture, makeConversation, useTempDirs } from './__fixtures__/cli.js';
import type { CliIO } from './io.js';
import {
  countingInput,
  createProgress,
  formatBytes,
  NO_PROGRESS,
  progressWanted,
  summaryRow,
  summaryTable,
  tally,
  TerminalProgress,
} from './progress.js';

const tempDir = useTempDirs();

function io(tty: boolean, env: NodeJS.ProcessEnv = {}): CliIO {
  return {
    stdout: new Capture(),
    stderr: Object.assign(new Capture(), { isTTY: tty }),
    env,
    cwd: '.',
    signal: new AbortController().signal,
  };
}

describe('progressWanted', () => {
  it('is true only on a terminal, without --json, outside CI', () => {
    expect(progressWanted(io(true))).toBe(true);
    expect(progressWanted(io(false))).toBe(false);
    expect(progressWanted(io(true), true)).toBe(false);
    expect(progressWanted(io(true, { CI: 'true' }))).toBe(false);
    expect(progressWanted(io(true, { CI: '1' }))).toBe(false);
    expect(progressWanted(io(true, { CI: 'false' }))).toBe(true);
    expect(createProgress(io(false))).toBe(NO_PROGRESS);
    expect(createProgress(io(true))).toBeInstanceOf(TerminalProgress);
  });
});

describe('TerminalProgress', () => {
  it('redraws in place at most once per interval and clears the line at the end', () => {
    const stream = Object.assign(new Capture(), { columns: 200 });
    let now = 1000;
    const progress = new TerminalProgress(stream, { now: () => now, intervalMs: 100 });
    progress.begin('chats/a.zip', 4096);
    // 1000 updates within one interval: no redraw.
    for (let index = 0; index < 1000; index += 1) progress.bytes(1);
    expect(stream.text.split('\r\x1b[2K').length - 1).toBe(1);
    now += 100;
    progress.messages(25);
    progress.format('whatsapp');
    const draws = stream.text.split('\r\x1b[2K').slice(1);
    expect(draws).toHaveLength(2);
    expect(draws[1]).toMatch(/chats\/a\.zip {2}1000 B of 4\.0 KB {2}25 messages$/);
    progress.done();
    expect(stream.text.endsWith('\r\x1b[2K')).toBe(true);
    const length = stream.text.length;
    progress.done();
    expect(stream.text.length).toBe(length);
  });

  it('never writes a line wider than the terminal', () => {
    const stream = Object.assign(new Capture(), { columns: 40 });
    const progress = new TerminalProgress(stream, { now: () => 0 });
    progress.begin(`exports/${'very long folder name/'.repeat(5)}chat.txt`, 10);
    const line = stream.text.replace('\r\x1b[2K', '');
    expect([...line].length).toBeLessThanOrEqual(39);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('countingInput', () => {
  it('counts the bytes parsers stream and read', async () => {
    const dir = await tempDir();
    const file = join(dir, 'chat.txt');
    await writeFile(file, 'x'.repeat(100_000));
    const input = await openInput(file);
    let counted = 0;
    const wrapped = countingInput(input, (bytes) => (counted += bytes));
    const [entry] = await wrapped.entries();
    expect(entry!.size).toBe(100_000);
    let streamed = 0;
    for await (const chunk of await entry!.stream()) streamed += (chunk as Buffer).length;
    expect(streamed).toBe(100_000);
    expect(counted).toBe(100_000);
    await entry!.readText();
    expect(counted).toBe(200_000);
    await entry!.readHead(10);
    expect(counted).toBe(200_000);
    expect(await wrapped.entry(entry!.path)).toBe(entry);
    await wrapped.close();
  });
});

describe('summaryTable', () => {
  it('lists each source with chats, messages, mine and dates, and a total', () => {
    const first = summaryRow('a.txt');
    tally(first, makeConversation('a', 4), 'whatsapp');
    const second = summaryRow('b.zip');
    tally(second, makeConversation('b', 3), 'whatsapp');
    tally(second, makeConversation('c', 2), 'whatsapp');
    const table = summaryTable([first, second]).split('\n');
    expect(table[0]).toMatch(/^source +format +chats +messages +mine +dates$/);
    expect(table[2]).toMatch(/^a\.txt +whatsapp +1 +4 +2 +2024-01-02$/);
    expect(table[3]).toMatch(/^b\.zip +whatsapp +2 +5 +2 +2024-01-02$/);
    expect(table.at(-1)).toMatch(/^total +3 +9 +4 +2024-01-02$/);
  });

  it('says sizes in words', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
  });
});
