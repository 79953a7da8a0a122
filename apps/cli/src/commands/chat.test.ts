import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChatMemory } from '@alterego/chat';
import { beforeEach, describe, expect, it } from 'vitest';
import { Capture, runCli, STACK_LINE, useTempDirs } from '../__fixtures__/cli.js';
import { writeFixtureDataset } from '../chat/__fixtures__/dataset.js';
import { fakeSession } from '../chat/__fixtures__/fake-session.js';
import { CHAT_MEMORY_FILE } from '../chat/settings.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { chat } from './chat.js';

const BUNDLE = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tempDir = useTempDirs();
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  cwd = await tempDir();
  await writeFixtureDataset(join(cwd, 'dataset'));
  env = { ALTEREGO_HOME: join(cwd, 'home') };
});

/** A port nothing listens on: taken, then let go. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('alterego chat in the terminal', () => {
  it('answers piped messages with the retrieval backend by default', async () => {
    const result = await runCli(['chat'], {
      cwd,
      env,
      stdin: 'pizza tonight?\nguess who I ran into\n',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe(
      'Sam Rivera> yes!! pizza 🍕\nSam Rivera> the usual place?\nSam Rivera> WHO\nSam Rivera> tell me everything\n',
    );
  });

  it('--json prints one object per reply', async () => {
    const result = await runCli(['chat', '--json', '--dataset', 'dataset'], {
      cwd,
      env,
      stdin: 'did you water the plants\n',
    });
    expect(result.code).toBe(ExitCode.ok);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      bubbles: ['oops', 'doing it now 🌱'],
      backend: 'retrieval',
    });
  });

  it('remembers the conversation in the data folder, and /reset forgets it', async () => {
    await runCli(['chat'], { cwd, env, stdin: 'pizza tonight?\n' });
    const file = join(cwd, 'home', CHAT_MEMORY_FILE);
    const read = () => {
      const memory = openChatMemory(file, { gapMinutes: 60 });
      try {
        return memory.history('terminal', Date.now());
      } finally {
        memory.close();
      }
    };
    expect(read()).toEqual([
      { role: 'user', content: 'pizza tonight?' },
      { role: 'assistant', content: 'yes!! pizza 🍕\nthe usual place?' },
    ]);
    const reset = await runCli(['chat'], { cwd, env, stdin: '/reset\n' });
    expect(reset.code).toBe(ExitCode.ok);
    expect(read()).toEqual([]);
  });

  it('reads the dataset folder from ALTEREGO_DATASET', async () => {
    const other = join(cwd, 'elsewhere');
    await writeFixtureDataset(other);
    const result = await runCli(['chat'], {
      cwd: await tempDir(),
      env: { ...env, ALTEREGO_DATASET: other },
      stdin: 'movie night?\n',
    });
    expect(result.stdout).toBe('Sam Rivera> yes but I pick this time\n');
  });

  it('without a dataset says how to make one (exit 2)', async () => {
    const result = await runCli(['chat', '--dataset', 'nope'], { cwd, env, stdin: 'hi\n' });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderrLines).toEqual([
      'alterego: nope: no such folder; make a dataset first: run `alterego build <exports> -o nope`, or give --dataset DIR',
    ]);
  });

  it('finetuned without a known model says how to get one (exit 4)', async () => {
    const result = await runCli(['chat', '--backend', 'finetuned'], { cwd, env, stdin: 'hi\n' });
    expect(result.code).toBe(ExitCode.missingConfig);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderr).toMatch(/^alterego: no fine-tuned model known: give --model/);
    expect(result.stderr).toContain('alterego finetune start ./dataset');
  });

  it('fewshot on OpenAI without a key exits with 4', async () => {
    const result = await runCli(['chat', '--backend', 'fewshot'], { cwd, env, stdin: 'hi\n' });
    expect(result.code).toBe(ExitCode.missingConfig);
    expect(result.stderr).toMatch(/^alterego: OPENAI_API_KEY is not set; /);
  });

  it('a model server that cannot be reached exits with 5, in one line', async () => {
    const port = await deadPort();
    const result = await runCli(
      [
        'chat',
        '--backend',
        'fewshot',
        '--model',
        'llama3.2',
        '--base-url',
        `http://127.0.0.1:${port}/v1`,
      ],
      { cwd, env, stdin: 'pizza tonight?\n' },
    );
    expect(result.code).toBe(ExitCode.remote);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderr).toMatch(/^alterego: /);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('--fallback answers when the backend fails, with a note', async () => {
    const port = await deadPort();
    const result = await runCli(
      ['chat', '--backend', 'finetuned', '--model', 'ft:x', '--fallback', 'retrieval'],
      {
        cwd,
        env: { ...env, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
        stdin: 'pizza tonight?\n',
      },
    );
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toBe('Sam Rivera> yes!! pizza 🍕\nSam Rivera> the usual place?\n');
    expect(result.stderr).toMatch(/^note: retrieval answered: /);
  });
});

describe('alterego chat --web', () => {
  it('prints the address, serves until interrupted, then closes (130)', async () => {
    const controller = new AbortController();
    const stdout = new Capture();
    const stderr = new Capture();
    const io: CliIO = { stdout, stderr, env, cwd, signal: controller.signal };
    const session = fakeSession();
    let url = '';
    const done = chat({ web: true }, io, {
      openSession: async () => session,
      onListening: (address) => {
        url = address;
      },
    });
    while (url === '') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stdout.text).toBe(`${url}\n`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(stderr.text).toContain('Texting Sam Rivera (fake) on this machine only');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const token = new URL(url).searchParams.get('token') ?? '';
    const answer = await fetch(new URL('/api/messages', url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-alterego-token': token,
        'x-alterego-session': 'abcdefgh',
      },
      body: JSON.stringify({ messages: ['hey', 'you up?'] }),
    });
    expect(await answer.json()).toEqual({ bubbles: ['re: hey', 're: you up?'], backend: 'fake' });
    controller.abort();
    expect(await done).toBe(ExitCode.interrupted);
    expect(session.closed).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a port out of range (exit 2)', async () => {
    const result = await runCli(['chat', '--web', '--port', '70000'], { cwd, env });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/--port 70000: expected a whole number 0–65535/);
  });
});

describe('alterego chat, the built bundle', () => {
  it('answers `echo … | alterego chat`', async () => {
    if (!existsSync(BUNDLE)) {
      throw new Error(`${BUNDLE} is missing: run "npx nx run @alterego/cli:build" first`);
    }
    const child = spawn(process.execPath, [BUNDLE, 'chat'], {
      cwd,
      env: { PATH: process.env.PATH, ALTEREGO_HOME: join(cwd, 'home') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end('pizza tonight?\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('Sam Rivera> yes!! pizza 🍕\nSam Rivera> the usual place?\n');
  });
});
