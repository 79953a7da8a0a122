import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSmsConfig, parseSmsConfig, SmsConfigError } from './config.js';

const MINIMAL = {
  publicUrl: 'https://abc.ngrok.app/',
  allow: ['+15551234567'],
  routes: { '*': { dataset: 'dataset' } },
};
const ENV = { TWILIO_AUTH_TOKEN: 'token' };

function problemsOf(run: () => unknown): {
  problems: readonly string[];
  exitCode: number;
  message: string;
} {
  try {
    run();
  } catch (error) {
    if (error instanceof SmsConfigError) return error;
    throw error;
  }
  throw new Error('expected a SmsConfigError');
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('parseSmsConfig', () => {
  it('fills in the defaults', () => {
    const config = parseSmsConfig(MINIMAL, { env: ENV, baseDir: '/srv/alterego' });
    expect(config).toEqual({
      publicUrl: 'https://abc.ngrok.app',
      path: '/sms',
      port: 8787,
      host: '127.0.0.1',
      trustProxy: false,
      allow: ['+15551234567'],
      routes: { '*': { dataset: '/srv/alterego/dataset', backend: 'retrieval' } },
      memoryFile: '/srv/alterego/alterego-sms.db',
      replyDeadlineMs: 10_000,
      maxSegments: 4,
      limits: {},
      rateLimit: { burst: 5, perMinute: 10 },
      bodyLimitBytes: 16_384,
      twilio: { apiBase: 'https://api.twilio.com', authToken: 'token' },
      logLevel: 'info',
      logMessages: false,
      logRawNumbers: false,
    });
  });

  it('lets the environment override the file', () => {
    const config = parseSmsConfig(MINIMAL, {
      env: {
        ...ENV,
        TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
        OPENAI_API_KEY: 'sk-test',
        ALTEREGO_SMS_PUBLIC_URL: 'https://other.example',
        ALTEREGO_SMS_PORT: '9000',
        ALTEREGO_SMS_HOST: '0.0.0.0',
        ALTEREGO_SMS_ALLOW: '+15550000001, +15550000002',
        ALTEREGO_SMS_MEMORY_FILE: ':memory:',
        ALTEREGO_SMS_LOG_LEVEL: 'warn',
        ALTEREGO_SMS_TRUST_PROXY: 'true',
        ALTEREGO_SMS_LOG_MESSAGES: '1',
        ALTEREGO_SMS_TWILIO_API_BASE: 'http://127.0.0.1:4010/',
      },
      baseDir: '/srv',
    });
    expect(config).toMatchObject({
      publicUrl: 'https://other.example',
      port: 9000,
      host: '0.0.0.0',
      allow: ['+15550000001', '+15550000002'],
      memoryFile: ':memory:',
      logLevel: 'warn',
      trustProxy: true,
      logMessages: true,
      twilio: {
        apiBase: 'http://127.0.0.1:4010',
        accountSid: `AC${'a'.repeat(32)}`,
        authToken: 'token',
      },
      openaiApiKey: 'sk-test',
    });
  });

  it('lists everything missing in one error, exit code 4', () => {
    const error = problemsOf(() =>
      parseSmsConfig({}, { env: {}, file: 'alterego-sms.config.json' }),
    );
    expect(error.exitCode).toBe(4);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toMatch(/^alterego-sms\.config\.json: /);
    expect(error.problems).toEqual([
      expect.stringMatching(/^publicUrl is missing.*ALTEREGO_SMS_PUBLIC_URL/),
      expect.stringMatching(/^allow is missing/),
      expect.stringMatching(/^TWILIO_AUTH_TOKEN is not set/),
      expect.stringMatching(/^routes is missing/),
    ]);
  });

  it('needs no publicUrl behind a trusted proxy', () => {
    const { publicUrl: _unused, ...rest } = MINIMAL;
    expect(parseSmsConfig({ ...rest, trustProxy: true }, { env: ENV }).publicUrl).toBeUndefined();
  });

  it('needs a model, and a key for OpenAI, for model backends', () => {
    const error = problemsOf(() =>
      parseSmsConfig(
        {
          ...MINIMAL,
          routes: {
            '*': { dataset: 'd', backend: 'finetuned' },
            '+15551234567': {
              dataset: 'd',
              backend: 'fewshot',
              model: 'llama3',
              baseUrl: 'http://127.0.0.1:11434/v1',
            },
          },
        },
        { env: ENV },
      ),
    );
    expect(error.exitCode).toBe(4);
    expect(error.problems).toEqual([
      'routes["*"].model is missing: the finetuned backend needs a model',
      'OPENAI_API_KEY is not set: routes["*"] uses the finetuned backend on OpenAI (or give it a "baseUrl")',
    ]);
  });

  it('lists every wrong value in one error, exit code 2', () => {
    const error = problemsOf(() =>
      parseSmsConfig(
        {
          publicUrl: 'ftp://x',
          port: 'eighty',
          allow: ['5551234567'],
          routes: { friends: { dataset: 'd', backend: 'magic' } },
          colour: 'blue',
        },
        { env: { ...ENV, ALTEREGO_SMS_PORT: 'abc' } },
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^publicUrl: /),
        expect.stringMatching(/^port: /),
        'allow[0]: expected an E.164 number such as +15551234567',
        expect.stringMatching(/^routes\["friends"\]: expected "\*" or an E\.164 number/),
        expect.stringMatching(/^routes\.friends\.backend: /),
        expect.stringMatching(/colour/),
        'ALTEREGO_SMS_PORT: expected a whole number, got "abc"',
      ]),
    );
  });

  it('refuses secrets in the file', () => {
    const error = problemsOf(() => parseSmsConfig({ ...MINIMAL, authToken: 'oops' }, { env: ENV }));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      'authToken: secrets do not belong in the config file; set TWILIO_AUTH_TOKEN and OPENAI_API_KEY in the environment',
    ]);
    expect(error.message).not.toContain('oops');
  });
});

describe('loadSmsConfig', () => {
  async function dir(): Promise<string> {
    const path = await mkdtemp(join(tmpdir(), 'alterego-sms-config-'));
    dirs.push(path);
    return path;
  }

  it('reads the file and resolves paths against its folder', async () => {
    const folder = await dir();
    await writeFile(join(folder, 'sms.json'), JSON.stringify(MINIMAL));
    const config = await loadSmsConfig(join(folder, 'sms.json'), { env: ENV, cwd: '/' });
    expect(config.routes['*']?.dataset).toBe(join(folder, 'dataset'));
    expect(config.memoryFile).toBe(join(folder, 'alterego-sms.db'));
  });

  it('reads alterego-sms.config.json by default, and the environment alone without one', async () => {
    const folder = await dir();
    await expect(loadSmsConfig(undefined, { env: ENV, cwd: folder })).rejects.toMatchObject({
      exitCode: 4,
      message: expect.not.stringContaining(folder),
    });
    await writeFile(join(folder, 'alterego-sms.config.json'), JSON.stringify(MINIMAL));
    expect((await loadSmsConfig(undefined, { env: ENV, cwd: folder })).allow).toEqual([
      '+15551234567',
    ]);
  });

  it('names the file and line of invalid JSON, exit code 2', async () => {
    const folder = await dir();
    const file = join(folder, 'sms.json');
    await writeFile(file, '{\n  "publicUrl": "https://x.example",\n  "allow": [,]\n}\n');
    const error = await loadSmsConfig(file, { env: ENV }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsConfigError);
    expect((error as SmsConfigError).exitCode).toBe(2);
    expect((error as SmsConfigError).message).toMatch(new RegExp(`^${file}:3: not valid JSON`));
  });

  it('says when the named file does not exist, exit code 2', async () => {
    const folder = await dir();
    await expect(loadSmsConfig('nope.json', { env: ENV, cwd: folder })).rejects.toMatchObject({
      exitCode: 2,
      message: `${join(folder, 'nope.json')}: no such file; check the --config path`,
    });
  });
});
