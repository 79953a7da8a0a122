import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openLedger } from '@alterego/finetune';
import { type OpenAIEmulator, startOpenAIEmulator } from '@alterego/finetune/emulator';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Capture, useTempDirs } from '../__fixtures__/cli.js';
import { exitCodeFor, formatError } from '../cli-error.js';
import type { CliIO } from '../io.js';
import { type FinetuneDependencies, registerFinetuneCommands } from './finetune.js';

const tempDir = useTempDirs();
let emulator: OpenAIEmulator;
let home: string;

beforeEach(async () => {
  emulator = await startOpenAIEmulator();
  home = await tempDir();
});
afterEach(async () => {
  await emulator.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `alterego finetune …` through a commander program, the way the CLI's `run` does. */
async function finetune(
  argv: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    dependencies?: FinetuneDependencies;
    tty?: boolean;
    stdout?: Capture;
  },
): Promise<Run> {
  const stdout = options.stdout ?? new Capture();
  const stderr = Object.assign(new Capture(), { isTTY: options.tty ?? false });
  const io: CliIO = {
    stdout,
    stderr,
    env: options.env ?? {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: emulator.baseURL,
      ALTEREGO_HOME: home,
    },
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  let code = 0;
  const program = new Command('alterego').exitOverride().configureOutput({
    writeOut: (text) => stdout.write(text),
    writeErr: (text) => stderr.write(text),
  });
  registerFinetuneCommands(program, io, (result) => (code = result), {
    interactive: false,
    providerOptions: {
      pollIntervalMs: 30_000,
      retry: { random: () => 1, sleep: async (ms) => emulator.advance(ms / 1000) },
    },
    ...options.dependencies,
  });
  try {
    await program.parseAsync(['finetune', ...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else {
      stderr.write(`${formatError(error, false)}\n`);
      code = exitCodeFor(error);
    }
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function example(index: number) {
  return JSON.stringify({
    messages: [
      { role: 'user', content: `dinner at 7? (${index})` },
      { role: 'assistant', content: `ok see u there (${index})` },
    ],
  });
}

/** A folder as `alterego build` writes it. */
async function dataset(train = 12, valid = 3): Promise<string> {
  const dir = join(await tempDir(), 'dataset');
  await mkdir(dir);
  const lines = (count: number, offset: number) =>
    Array.from({ length: count }, (_, index) => `${example(index + offset)}\n`).join('');
  await writeFile(join(dir, 'train.jsonl'), lines(train, 0));
  if (valid > 0) await writeFile(join(dir, 'valid.jsonl'), lines(valid, 100));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ examples: train + valid }));
  return dir;
}

describe('alterego finetune start', () => {
  it('shows what goes where with tokens and cost, then starts once', async () => {
    const dir = await dataset();
    const result = await finetune(
      ['start', dir, '--yes', '--suffix', 'sam', '--model', 'gpt-4o-mini-2024-07-18'],
      { cwd: home },
    );
    expect(result.code).toBe(0);
    const [job] = emulator.jobs();
    expect(result.stdout).toBe(`${job!.id as string}\n`);
    expect(result.stderr).toContain(`OpenAI at ${emulator.baseURL} will receive:`);
    expect(result.stderr).toMatch(/training {3}.*train\.jsonl: 12 examples, ~[\d,]+ tokens/);
    expect(result.stderr).toMatch(/validation .*valid\.jsonl: 3 examples/);
    expect(result.stderr).toMatch(
      /model gpt-4o-mini-2024-07-18, supervised, 8 epochs: ~[\d,]+ training tokens, about \$0\.\d\d \(OpenAI list price for gpt-4o-mini-2024-07-18/,
    );
    expect(result.stderr).toContain(
      `started: ${job!.id as string} (validating_files); follow it with: alterego finetune follow ${job!.id as string}`,
    );
    expect(job).toMatchObject({
      user_provided_suffix: 'sam',
      metadata: { manifest: expect.stringMatching(/^[0-9a-f]{16}$/) },
    });

    const again = await finetune(
      ['start', dir, '--suffix', 'sam', '--model', 'gpt-4o-mini-2024-07-18'],
      { cwd: home },
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`already started: ${job!.id as string}`);
    expect(emulator.jobs()).toHaveLength(1);
    expect(emulator.files()).toHaveLength(2);

    const ledger = openLedger(join(home, 'finetune.sqlite'));
    expect(ledger.listJobs().map((record) => record.jobId)).toEqual([job!.id]);
    ledger.close();
  });

  it('prints the plan and the job as JSON with --json', async () => {
    const dir = await dataset(12, 0);
    const result = await finetune(
      ['start', join(dir, 'train.jsonl'), '--yes', '--json', '--epochs', '2'],
      { cwd: home },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      plan: { files: unknown[]; estimate: { epochs: number } };
      job: { id: string };
      resumed: boolean;
    };
    expect(report.plan.files).toHaveLength(1);
    expect(report.plan.estimate.epochs).toBe(2);
    expect(report.resumed).toBe(false);
    expect(report.job.id).toBe(emulator.jobs()[0]!.id);
  });

  it('trains preference pairs with DPO', async () => {
    const dir = await tempDir();
    const file = join(dir, 'pairs.jsonl');
    const pair = (index: number) =>
      JSON.stringify({
        input: { messages: [{ role: 'user', content: `lunch? (${index})` }] },
        preferred_output: [{ role: 'assistant', content: `sure (${index})` }],
        non_preferred_output: [{ role: 'assistant', content: `Certainly. (${index})` }],
      });
    await writeFile(file, Array.from({ length: 10 }, (_, index) => `${pair(index)}\n`).join(''));
    const result = await finetune(['start', file, '--yes', '--beta', '0.3'], { cwd: home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(', dpo, ');
    expect(emulator.jobs()[0]!.method).toMatchObject({
      type: 'dpo',
      dpo: { hyperparameters: { beta: 0.3 } },
    });
  });

  it('without a terminal to ask on, requires --yes and sends nothing', async () => {
    const result = await finetune(['start', await dataset()], { cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'alterego: not starting a paid job without confirmation: there is no terminal to ask on, so add --yes',
    );
    expect(emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('asks on a terminal, and sends nothing when the answer is no', async () => {
    const dir = await dataset();
    const questions: string[] = [];
    const no = await finetune(['start', dir], {
      cwd: home,
      dependencies: {
        interactive: true,
        confirm: async (question) => (questions.push(question), false),
      },
    });
    expect(no.code).toBe(0);
    expect(no.stderr).toContain('nothing was sent');
    expect(questions).toEqual(['Start this fine-tuning job? [y/N] ']);
    expect(emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    const yes = await finetune(['start', dir], {
      cwd: home,
      dependencies: { interactive: true, confirm: async () => true },
    });
    expect(yes.code).toBe(0);
    expect(emulator.jobs()).toHaveLength(1);
  });

  it('refuses data the service would refuse, naming the file and line (exit 2)', async () => {
    const dir = await dataset();
    await writeFile(
      join(dir, 'train.jsonl'),
      `${Array.from({ length: 11 }, (_, index) => `${example(index)}\n`).join('')}{"messages":[{"role":"user","content":"x"}]}\n`,
    );
    const result = await finetune(['start', dir, '--yes'], { cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error: ${join(dir, 'train.jsonl')}:12: messages has no assistant message [openai:example-missing-assistant-message]`,
    );
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `alterego: ${join(dir, 'train.jsonl')}:12: messages has no assistant message; fix the data and run again`,
    );
    expect(emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('says what is missing: the key (exit 4), the dataset (exit 2), a bad flag (exit 2)', async () => {
    const dir = await dataset();
    const noKey = await finetune(['start', dir, '--yes'], {
      cwd: home,
      env: { ALTEREGO_HOME: home },
    });
    expect(noKey.code).toBe(4);
    expect(noKey.stderr).toBe(
      'alterego: OPENAI_API_KEY is not set; export your key (export OPENAI_API_KEY=sk-…), or use the few-shot persona: alterego chat --backend fewshot\n',
    );
    const noData = await finetune(['start', join(home, 'nothing'), '--yes'], { cwd: home });
    expect(noData.code).toBe(2);
    expect(noData.stderr).toContain('no such file or folder');
    const empty = await tempDir();
    const noTrain = await finetune(['start', empty, '--yes'], { cwd: home });
    expect(noTrain.stderr).toContain('no train.jsonl in this folder; run "alterego build');
    const badSeed = await finetune(['start', dir, '--seed', 'x'], { cwd: home });
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr).toContain('--seed x: expected a whole number');
  });

  it('explains the wind-down in one line and exits 5', async () => {
    emulator.setFineTuningAvailable(false);
    const result = await finetune(['start', await dataset(), '--yes'], { cwd: home });
    expect(result.code).toBe(5);
    const last = result.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(
      /^alterego: this account can no longer create OpenAI fine-tuning jobs .*2027-01-06.*alterego chat --backend fewshot/,
    );
  });
});

describe('alterego finetune follow', () => {
  it('prints NDJSON events with --json and ends with the result', async () => {
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const result = await finetune(['follow', '--json'], { cwd: home });
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            status?: { state: string; result?: { model: string } };
            event?: { message: string };
          },
      );
    expect(lines[0]).toMatchObject({
      type: 'event',
      event: { message: expect.stringMatching(/^Validating training file/) },
    });
    expect(lines.at(-1)).toMatchObject({
      type: 'status',
      status: { state: 'succeeded', result: { model: expect.stringMatching(/^ft:/) } },
    });
    expect(
      lines.filter((line) => line.type === 'status').map((line) => line.status!.state),
    ).toEqual(['validating_files', 'running', 'succeeded']);
  });

  it('draws a progress bar on a terminal and prints the model', async () => {
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const result = await finetune(['follow'], { cwd: home, tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('\rrunning [########################] step 96/96  loss ');
    expect(result.stderr).toMatch(/valid \d\.\d{3}/);
    expect(result.stdout).toMatch(
      new RegExp(
        `^succeeded: ft:\\S+ \\(call it with the OpenAI chat API at ${emulator.baseURL.replace(/[.]/g, '\\.')}\\)\\n$`,
      ),
    );
  });

  it('prints plain lines without a terminal', async () => {
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const result = await finetune(['follow'], { cwd: home });
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toContain('Step 1/96: training loss=');
    expect(result.stderr).toContain(': succeeded\n');
  });

  it('killed mid-follow, then run again: resumes after the last event shown', async () => {
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const controller = new AbortController();
    const stdout = new (class extends Capture {
      override _write(chunk: Buffer, encoding: BufferEncoding, callback: () => void): void {
        if (chunk.toString().includes('"step":10,')) controller.abort();
        super._write(chunk, encoding, callback);
      }
    })();
    const first = await finetune(['follow', '--json'], {
      cwd: home,
      signal: controller.signal,
      stdout,
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/stopped following; resume with: alterego finetune follow ftjob-/);
    const seen = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: { id: string } });

    const second = await finetune(['follow', '--json'], { cwd: home });
    expect(second.code).toBe(0);
    const rest = second.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; event?: { id: string; metrics?: { step: number } } },
      );
    const firstEvent = rest.find((line) => line.type === 'event')!;
    expect(firstEvent.event!.metrics?.step).toBe(11);
    const ids = [...seen, ...rest].flatMap((line) => (line.event ? [line.event.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a failed job: exit 5 with the reason', async () => {
    emulator.failNextJob({ message: 'Training diverged.', code: 'server_error', atStep: 3 });
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const result = await finetune(['follow'], { cwd: home });
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('failed: Training diverged. [server_error]\n');
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^alterego: job ftjob-\S+ failed: Training diverged\. \[server_error\]$/,
    );
  });

  it('with nothing started, says how to start', async () => {
    const result = await finetune(['follow'], { cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no fine-tuning job recorded for');
  });

  it('finds a job whose start was interrupted right after the service created it', async () => {
    const dir = await dataset();
    emulator.inject('POST /v1/fine_tuning/jobs', { drop: 'after' });
    const crashed = await finetune(['start', dir, '--yes'], {
      cwd: home,
      dependencies: { providerOptions: { maxRetries: 0, retry: { sleep: async () => {} } } },
    });
    expect(crashed.code).toBe(5);
    const result = await finetune(['follow', '--json'], { cwd: home });
    expect(result.code).toBe(0);
    expect(emulator.jobs()).toHaveLength(1);
  });
});

describe('alterego finetune status, list, cancel', () => {
  it('shows status with checkpoints, lists jobs and cancels', async () => {
    await finetune(['start', await dataset(), '--yes'], { cwd: home });
    const id = emulator.jobs()[0]!.id as string;
    emulator.advance(50);
    const status = await finetune(['status', id, '--json'], { cwd: home });
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { state: string; checkpoints: { step: number }[] };
    expect(parsed.state).toBe('running');
    expect(parsed.checkpoints.map((checkpoint) => checkpoint.step)).toEqual([12, 24, 36]);
    const text = await finetune(['status'], { cwd: home });
    expect(text.stdout).toContain(`${id}: running`);
    expect(text.stdout).toContain('checkpoint step 12: ft:');

    const listed = await finetune(['list'], { cwd: home });
    expect(listed.stdout).toMatch(new RegExp(`^${id}  running`));
    const listedJson = JSON.parse((await finetune(['list', '--json'], { cwd: home })).stdout) as {
      jobs: { id: string }[];
    };
    expect(listedJson.jobs.map((job) => job.id)).toEqual([id]);

    const cancelled = await finetune(['cancel', id], { cwd: home });
    expect(cancelled.stdout).toBe(`${id}: cancelled\n`);
    const again = await finetune(['cancel', id], { cwd: home });
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('answered 400');
  });
});

describe('alterego finetune emulator', () => {
  it('serves the OpenAI API locally until interrupted, with a clock that moves on each request', async () => {
    const controller = new AbortController();
    const stdout = new Capture();
    const running = finetune(['emulator', '--speed', '1000'], {
      cwd: home,
      signal: controller.signal,
      stdout,
    });
    let baseURL: string | undefined;
    while (baseURL === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
      baseURL = /OPENAI_BASE_URL=(\S+)/.exec(stdout.text)?.[1];
    }
    const env = { OPENAI_API_KEY: 'sk-emulated', OPENAI_BASE_URL: baseURL, ALTEREGO_HOME: home };
    const started = await finetune(['start', await dataset(), '--yes'], {
      cwd: home,
      env,
      dependencies: { providerOptions: {} },
    });
    expect(started.code).toBe(0);
    const followed = await finetune(['follow', '--interval', '0.001'], {
      cwd: home,
      env,
      dependencies: { providerOptions: {} },
    });
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/^succeeded: ft:/);
    controller.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('OpenAI emulator listening');
  });
});

/** A stand-in for python3 with mlx_lm and the hf stack: prints real engine lines, writes the adapter. */
async function fakePython(dir: string): Promise<string> {
  const file = join(dir, 'python3');
  await writeFile(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const mode = process.env.FAKE_ENGINE ?? 'ok';
if (args[0] === '-c') {
  if (mode === 'missing') { process.stderr.write("ModuleNotFoundError: No module named 'mlx_lm'\\n"); process.exit(1); }
  console.log(JSON.stringify({ versions: { mlx_lm: '0.31.0' }, accelerator: 'apple-silicon' }));
  process.exit(0);
}
const config = args[args.indexOf('--config') + 1];
if (mode === 'hang') process.on('SIGTERM', () => { fs.writeFileSync(path.join(path.dirname(config), 'got-signal'), 'SIGTERM'); process.exit(143); });
const adapter = JSON.parse(/^adapter_path: (.*)$/m.exec(fs.readFileSync(config, 'utf8'))[1]);
console.log('Loading pretrained model');
console.log('Iter 1: Val loss 3.100, Val took 1.000s');
if (mode === 'hang') { setInterval(() => {}, 1000); return; }
console.log('Iter 10: Train loss 2.345, Learning Rate 1.000e-04, It/sec 1.234, Tokens/sec 567.890, Trained Tokens 1234, Peak mem 5.678 GB');
fs.mkdirSync(adapter, { recursive: true });
fs.writeFileSync(path.join(adapter, 'adapters.safetensors'), 'w');
`,
  );
  await chmod(file, 0o755);
  return file;
}

describe('alterego finetune start --provider (local engines)', () => {
  async function local(argv: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
    const python = await fakePython(home);
    return finetune(argv, {
      cwd: home,
      env: { ALTEREGO_HOME: home, ALTEREGO_PYTHON: python, PATH: process.env.PATH, ...env },
      ...(signal ? { signal } : {}),
      dependencies: {
        localProviderOptions: { platform: 'darwin', arch: 'arm64', pollIntervalMs: 10 },
      },
    });
  }

  it('mlx: trains in the foreground without a key or a question, then says how to serve and chat', async () => {
    const result = await local(['start', await dataset(), '--provider', 'mlx', '--suffix', 'sam']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('mlx trains on this machine; nothing is uploaded:');
    expect(result.stderr).toContain('model mlx-community/Qwen2.5-1.5B-Instruct-4bit, supervised');
    expect(result.stderr).toContain('Step 10/24: training loss=2.3450 568 tokens/s');
    const id = /started (mlx-\S+):/.exec(result.stderr)![1]!;
    const runDir = join(home, 'runs', id);
    expect(result.stdout).toBe(`succeeded: adapter in ${join(runDir, 'adapters')}\n`);
    expect(result.stderr).toContain(
      `serve it with: mlx_lm.server --model mlx-community/Qwen2.5-1.5B-Instruct-4bit --adapter-path ${join(runDir, 'adapters')} --host 127.0.0.1 --port 8080`,
    );
    expect(result.stderr).toContain(
      'then talk to it: alterego chat --backend finetuned --base-url http://127.0.0.1:8080/v1 --model default_model',
    );
    const status = await local(['status', id, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      id,
      provider: 'mlx',
      state: 'succeeded',
      trainedTokens: 1234,
    });
    const listed = await local(['list', '--provider', 'mlx']);
    expect(listed.stdout).toMatch(new RegExp(`^${id}  succeeded`));
    const followed = await local(['follow', '--provider', 'mlx', '--json']);
    expect(followed.code).toBe(0);
    expect(
      followed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string }),
    ).toEqual([{ type: 'status', status: expect.objectContaining({ state: 'succeeded' }) }]);
  });

  it('Ctrl-C stops the engine with SIGTERM, marks the run cancelled and exits 130', async () => {
    const controller = new AbortController();
    const running = local(
      ['start', await dataset(), '--provider', 'mlx'],
      { FAKE_ENGINE: 'hang' },
      controller.signal,
    );
    const ledgerFile = join(home, 'finetune.sqlite');
    let id: string | undefined;
    for (let tries = 0; tries < 500 && id === undefined; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const dir = join(home, 'runs');
      const [run] = await import('node:fs/promises').then((fs) =>
        fs.readdir(dir).catch(() => [] as string[]),
      );
      if (
        run &&
        (await readFile(join(dir, run, 'run.log'), 'utf8').catch(() => '')).includes('Val loss')
      )
        id = run;
    }
    controller.abort();
    const result = await running;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`cancelled ${id!}; the engine was stopped`);
    expect(await readFile(join(home, 'runs', id!, 'got-signal'), 'utf8')).toBe('SIGTERM');
    const ledger = openLedger(ledgerFile);
    expect(ledger.jobById(id!)?.state).toBe('cancelled');
    ledger.close();
  });

  it('a missing engine: one line with the install command, exit 4', async () => {
    const result = await local(['start', await dataset(), '--provider', 'mlx'], {
      FAKE_ENGINE: 'missing',
    });
    expect(result.code).toBe(4);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^alterego: mlx_lm cannot be imported by \S+python3 \(ModuleNotFoundError: No module named 'mlx_lm'\); install with: \S+python3 -m pip install mlx-lm$/,
    );
  });

  it('axolotl: writes the config and prints the command to run', async () => {
    const result = await local([
      'start',
      await dataset(),
      '--provider',
      'axolotl',
      '--lora-rank',
      '16',
    ]);
    expect(result.code).toBe(0);
    const config = result.stdout.trim();
    expect(config).toMatch(/runs\/axolotl-\S+\/axolotl\.yaml$/);
    expect(await readFile(config, 'utf8')).toContain('lora_r: 16\nlora_alpha: 32\n');
    expect(result.stderr).toContain(`run it where Axolotl is installed: axolotl train ${config}`);
    expect(result.stderr).toContain('--lora-modules alterego=');
  });
});
