// The built bundle, run as users run it: `node dist/server.js --config …` in a child process.
// The nx `test` target builds it first; run `npx nx run @alterego/sms:build` before a bare vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from './__fixtures__/dataset.js';
import { AUTH_TOKEN, FRIEND, inbound, messagesOf } from './__fixtures__/sms.js';
import { computeTwilioSignature } from './signature.js';

const BUNDLE = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const packageJson = JSON.parse(
  await readFile(new URL('../package.json', import.meta.url), 'utf8'),
) as { bin: Record<string, string> };

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

beforeAll(async () => {
  const built = await stat(BUNDLE).catch(() => undefined);
  if (!built) throw new Error(`${BUNDLE} is missing: run "npx nx run @alterego/sms:build" first`);
});

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function listening(server: Running): Promise<string> {
  for (;;) {
    const line = server
      .stdout()
      .split('\n')
      .find((entry) => entry.includes('"event":"listening"'));
    if (line) return (JSON.parse(line) as { address: string }).address;
    if (server.child.exitCode !== null)
      throw new Error(`the server exited: ${server.stderr()}${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function setup(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'alterego-sms-e2e-'));
  dirs.push(dir);
  await writeDataset(dir);
  await writeFile(join(dir, 'sms.json'), JSON.stringify(config));
  return dir;
}

const CONFIG = {
  publicUrl: 'https://alterego.example.ngrok.app',
  port: 0,
  allow: [FRIEND],
  routes: { '*': { dataset: '.' } },
  memoryFile: 'sms.db',
};

describe('the alterego-sms bundle', () => {
  it('is the package bin', () => {
    expect(packageJson.bin).toEqual({ 'alterego-sms': './dist/server.js' });
  });

  it('starts, answers /healthz and a signed message, and stops on SIGTERM', async () => {
    const dir = await setup(CONFIG);
    const server = run(['--config', 'sms.json'], dir, { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    const address = await listening(server);
    expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ status: 'ok' });

    const params = inbound('are you coming tonight?');
    const response = await fetch(`${address}/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, `${CONFIG.publicUrl}/sms`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    expect(messagesOf(await response.text())).toEqual(['yes!! see you at 8']);
    const unsigned = await fetch(`${address}/sms`, { method: 'POST', body: 'Body=hi' });
    expect(unsigned.status).toBe(403);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).not.toContain(AUTH_TOKEN);
    expect(server.stdout()).not.toContain('coming tonight');
    expect(server.stdout()).not.toContain(FRIEND);
    // The bundle's memory worker ran: no warning that this thread had to write instead.
    expect(server.stderr()).not.toContain('ALTEREGO_MEMORY_WORKER');
  });

  it('exits 4 listing what is missing', async () => {
    const dir = await setup({ port: 0 });
    const server = run([], dir, {});
    expect(await server.exited).toBe(4);
    expect(server.stderr()).toMatch(
      /^alterego-sms: .*publicUrl is missing.*TWILIO_AUTH_TOKEN is not set/,
    );
    expect(server.stderr().trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a config file that is not JSON', async () => {
    const dir = await setup(CONFIG);
    await writeFile(join(dir, 'sms.json'), '{ "port": 0,, }');
    const server = run(['--config', 'sms.json'], dir, { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toMatch(/sms\.json:1: not valid JSON/);
  });
});
