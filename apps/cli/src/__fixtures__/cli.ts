import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Conversation } from '@alterego/core';
import { afterEach } from 'vitest';
import type { CliIO } from '../io.js';
import { run } from '../program.js';

/** A stream that keeps what is written to it. */
export class Capture extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the empty string after the last newline. */
  stderrLines: string[];
}

export interface RunOptions {
  cwd: string;
  /** The whole environment the command sees: nothing leaks in from the test process. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** What the command reads on stdin (not a TTY); none by default. */
  stdin?: string | Readable;
}

/** Runs `alterego …` in this process with captured output. */
export async function runCli(argv: readonly string[], options: RunOptions): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  if (options.stdin !== undefined) {
    io.stdin = typeof options.stdin === 'string' ? Readable.from([options.stdin]) : options.stdin;
  }
  const code = await run(argv, io);
  const stderrText = stderr.text;
  return {
    code,
    stdout: stdout.text,
    stderr: stderrText,
    stderrLines: stderrText === '' ? [] : stderrText.replace(/\n$/, '').split('\n'),
  };
}

/**
 * Returns a function that makes a fresh temporary folder; every folder it made is removed after
 * each test.
 */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alterego-cli-test-'));
    made.push(dir);
    return dir;
  };
}

/** The names in a folder, sorted, to check that no temporary file was left behind. */
export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** A valid Conversation with `messages` text messages, two people, Sam Rivera marked as self. */
export function makeConversation(id: string, messages = 2): Conversation {
  return {
    schema: 'alterego.conversation/1',
    id: `whatsapp:${id}`,
    platform: 'whatsapp',
    kind: 'direct',
    title: `Chat ${id}`,
    participants: [
      { id: 'p1', name: 'Sam Rivera', self: true },
      { id: 'p2', name: 'Alex Chen', handles: ['+15550100'], self: false },
    ],
    messages: Array.from({ length: messages }, (_, index) => ({
      id: `m${index + 1}`,
      senderId: index % 2 === 0 ? 'p2' : 'p1',
      time: new Date(Date.UTC(2024, 0, 2, 9, index)).toISOString(),
      type: 'text' as const,
      text: index === 0 ? 'hey 👋\nyou up?' : `message ${index + 1} — café`,
    })),
    source: { format: 'whatsapp-txt', file: `WhatsApp Chat with ${id}.txt` },
  };
}

/** No stack trace lines (`    at fn (file:1:2)`) in a text. */
export const STACK_LINE = /^\s+at .+/m;
