import { PassThrough, Readable } from 'node:stream';
import { ChatError } from '@alterego/chat';
import { describe, expect, it } from 'vitest';
import { Capture } from '../__fixtures__/cli.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { fakeSession } from './__fixtures__/fake-session.js';
import { PROMPT, replyLines, runTerminal } from './terminal.js';

function terminalIO(stdin: CliIO['stdin'], signal = new AbortController().signal) {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = { stdin, stdout, stderr, env: {}, cwd: '/', signal };
  return { io, stdout, stderr };
}

describe('runTerminal with piped input', () => {
  it('answers each line, printing the persona’s name before each bubble, without prompts', async () => {
    const session = fakeSession();
    const { io, stdout, stderr } = terminalIO(Readable.from(['hey\n\n  free tonight? \nok']));
    expect(await runTerminal(session, io)).toBe(ExitCode.ok);
    expect(stdout.text).toBe(
      'Sam Rivera> re: hey\nSam Rivera> re: free tonight?\nSam Rivera> re: ok\n',
    );
    expect(stderr.text).toBe('');
    expect(session.calls).toEqual([
      { counterpart: { id: 'terminal' }, messages: ['hey'] },
      { counterpart: { id: 'terminal' }, messages: ['free tonight?'] },
      { counterpart: { id: 'terminal' }, messages: ['ok'] },
    ]);
  });

  it('/reset forgets the terminal conversation and /quit ends', async () => {
    const session = fakeSession();
    const { io, stdout } = terminalIO(Readable.from(['one\n/reset\ntwo\n/quit\nthree\n']));
    expect(await runTerminal(session, io)).toBe(ExitCode.ok);
    expect(session.resets).toEqual(['terminal']);
    expect(session.calls.map((call) => call.messages)).toEqual([['one'], ['two']]);
    expect(stdout.text).not.toContain('three');
  });

  it('--json prints one JSON object per reply', async () => {
    const session = fakeSession((messages) => ({
      bubbles: ['yes!!', messages[0] ?? ''],
      backend: 'retrieval',
      elapsedMs: 3,
    }));
    const { io, stdout } = terminalIO(Readable.from(['a\nb\n']));
    expect(await runTerminal(session, io, { json: true })).toBe(ExitCode.ok);
    expect(
      stdout.text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { bubbles: ['yes!!', 'a'], backend: 'retrieval', elapsedMs: 3 },
      { bubbles: ['yes!!', 'b'], backend: 'retrieval', elapsedMs: 3 },
    ]);
  });

  it('notes on stderr when the fallback answered', async () => {
    const session = fakeSession(() => ({
      bubbles: ['hi'],
      backend: 'retrieval',
      fallbackReason: 'the finetuned backend took longer than 10 ms to answer',
      elapsedMs: 12,
    }));
    const { io, stdout, stderr } = terminalIO(Readable.from(['hey\n']));
    await runTerminal(session, io);
    expect(stdout.text).toBe('Sam Rivera> hi\n');
    expect(stderr.text).toBe(
      'note: retrieval answered: the finetuned backend took longer than 10 ms to answer\n',
    );
  });

  it('ends at the first failed reply with the error’s exit code', async () => {
    const session = fakeSession(() => {
      throw new ChatError('http://127.0.0.1:9/v1: connection refused; is the server running?', {
        kind: 'model-server',
      });
    });
    const { io } = terminalIO(Readable.from(['hey\nagain\n']));
    const error = await runTerminal(session, io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.remote);
    expect((error as CliError).message).toMatch(/connection refused/);
    expect(session.calls).toHaveLength(1);
  });

  it('stops with 130 when interrupted, cancelling the reply under way', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const session = fakeSession(
      (_messages, _call, signal) =>
        new Promise((_, reject) => {
          seen = signal;
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
          controller.abort();
        }),
    );
    const stdin = new PassThrough();
    stdin.write('hey\n');
    const { io } = terminalIO(stdin, controller.signal);
    expect(await runTerminal(session, io)).toBe(ExitCode.interrupted);
    expect(seen?.aborted).toBe(true);
  });
});

describe('runTerminal on a terminal', () => {
  it('prompts with "you> ", shows errors and goes on', async () => {
    const session = fakeSession((messages, call) => {
      if (call === 1)
        throw new ChatError('the finetuned backend took too long', { kind: 'timeout' });
      return { bubbles: [`re: ${messages[0]}`], backend: 'fake', elapsedMs: 1 };
    });
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const { io, stdout, stderr } = terminalIO(stdin);
    const done = runTerminal(session, io);
    stdin.end('first\nsecond\n/quit\n');
    expect(await done).toBe(ExitCode.ok);
    expect(stderr.text).toContain('Texting Sam Rivera (fake). /reset forgets the conversation');
    expect(stderr.text).toContain('alterego: the finetuned backend took too long\n');
    expect(stdout.text).toContain(PROMPT);
    expect(stdout.text).toContain('Sam Rivera> re: second\n');
    expect(session.calls).toHaveLength(2);
  });
});

describe('replyLines', () => {
  it('keeps each bubble on one line', () => {
    expect(replyLines('Sam', { bubbles: ['a\nb', 'c'], backend: 'retrieval', elapsedMs: 0 })).toBe(
      'Sam> a b\nSam> c\n',
    );
  });

  it('prints nothing that would drive the terminal', () => {
    const reply = {
      bubbles: ['\u001b]0;title\u0007hi \u001b[31mred'],
      backend: 'retrieval',
      elapsedMs: 0,
    };
    expect(replyLines('Sam\u202e', reply)).toBe('Sam> ]0;titlehi [31mred\n');
  });
});
