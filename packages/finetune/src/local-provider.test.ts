import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonl, useTempDirs } from './__fixtures__/data.js';
import { writeFakePython } from './__fixtures__/fake-python.js';
import { openLedger } from './ledger.js';
import { HF_TRAIN_SCRIPT } from './local-engines.js';
import { createLocalProvider, type LocalProviderOptions } from './local-provider.js';
import type { FollowEvent, JobEvent } from './provider.js';
import { ProviderError } from './provider-error.js';

const tempDir = useTempDirs();

/** An example with a context reply (weight 0) and two trained replies. */
function example(index: number) {
  return {
    messages: [
      { role: 'system', content: 'You are Sam.' },
      { role: 'user', content: `Jo: dinner? (${index})` },
      { role: 'assistant', content: `earlier reply (${index})`, weight: 0 },
      { role: 'user', content: `Jo: 7pm? (${index})` },
      { role: 'assistant', content: `yes!! (${index})` },
      { role: 'user', content: `Jo: bring wine (${index})` },
      { role: 'assistant', content: `on it 🍷 (${index})` },
    ],
  };
}

async function setup(engine: LocalProviderOptions['engine'], env: Record<string, string> = {}) {
  const dir = await tempDir();
  const dataset = join(dir, 'dataset');
  await mkdir(dataset);
  const trainFile = join(dataset, 'train.jsonl');
  const validationFile = join(dataset, 'valid.jsonl');
  await writeFile(trainFile, jsonl(Array.from({ length: 12 }, (_, index) => example(index))));
  await writeFile(
    validationFile,
    jsonl(Array.from({ length: 4 }, (_, index) => example(100 + index))),
  );
  await writeFile(
    join(dataset, 'manifest.json'),
    JSON.stringify({ schema: 'alterego.dataset-manifest/1', options: { maxExampleTokens: 3000 } }),
  );
  const python = await writeFakePython(dir);
  const ledger = openLedger(':memory:');
  const runsDir = join(dir, 'runs');
  const provider = createLocalProvider({
    engine,
    runsDir,
    ledger,
    python,
    platform: 'darwin',
    arch: 'arm64',
    env: { ...process.env, FAKE_LOG_DIR: dir, ...env },
    killGraceMs: 5000,
    pollIntervalMs: 20,
  });
  return {
    dir,
    provider,
    ledger,
    runsDir,
    data: { trainFile, validationFile, format: 'chat' as const },
  };
}

async function collect(iterable: AsyncIterable<FollowEvent>) {
  const events: JobEvent[] = [];
  const states: string[] = [];
  for await (const item of iterable) {
    if (item.type === 'event') events.push(item.event);
    else states.push(item.status.state);
  }
  return { events, states };
}

describe('local provider with mlx (fake engine)', () => {
  it('lays out the data, writes config and serve files, runs the engine and reports events, ledger and artifacts', async () => {
    const { provider, ledger, data, runsDir, dir } = await setup('mlx');
    const check = await provider.checkData(data, { model: 'm' });
    expect(check).toMatchObject({
      ok: true,
      format: 'chat',
      train: { examples: 12 },
      validation: { examples: 4 },
    });
    const options = {
      model: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit',
      suffix: 'sam',
      hyperparameters: { epochs: 2 },
    };
    expect(provider.estimate(check, options)).toMatchObject({
      epochs: 2,
      costUsd: 0,
      priceSource: 'runs on this machine',
    });

    const started = await provider.start(data, options);
    expect(started.id).toMatch(/^mlx-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(started.state).toBe('running');
    const runDir = join(runsDir, started.id);
    const { events, states } = await collect(provider.events(started.id));
    expect(states).toEqual(['running', 'succeeded']);
    const metrics = events.flatMap((event) => (event.metrics ? [event.metrics] : []));
    // 12 examples × 2 trained replies = 24 lines; batch 4 → 6 steps an epoch, 2 epochs.
    expect(metrics).toEqual([
      { step: 1, totalSteps: 12, validLoss: 3.412 },
      { step: 10, totalSteps: 12, trainLoss: 2.871, tokensPerSecond: 1204 },
      { step: 20, totalSteps: 12, trainLoss: 2.345, tokensPerSecond: 567.89 },
      { step: 12, totalSteps: 12, validLoss: 2.101 },
    ]);
    const messages = events.map((event) => event.message);
    expect(messages[0]).toBe('Engine: ' + (await provider.checkEngine()).message);
    expect(messages).toContain(
      `Data: 12 training examples (24 replies trained, 12 kept as context) written as 24 examples, one per trained reply, to ${join(runDir, 'data', 'train.jsonl')}`,
    );
    expect(messages).toContain('Trainable parameters: 0.280% (4.366M/1543.714M)');
    expect(messages).toContain('Saved 0000020_adapters.safetensors');
    expect(messages.at(-1)).toBe(`Training finished: adapter in ${join(runDir, 'adapters')}`);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    const done = await provider.status(started.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      trainedTokens: 10234,
      result: { model: 'default_model', baseURL: 'http://127.0.0.1:8080/v1', api: 'openai-chat' },
      artifacts: {
        runDir,
        config: join(runDir, 'config.yaml'),
        command: `${join(dir, 'python3')} -m mlx_lm lora --config ${join(runDir, 'config.yaml')}`,
        adapter: join(runDir, 'adapters'),
        log: join(runDir, 'run.log'),
      },
    });
    expect(
      done.artifacts!.serve.map((serve) => [serve.server, serve.model, serve.baseURL]),
    ).toEqual([
      ['mlx_lm.server', 'default_model', 'http://127.0.0.1:8080/v1'],
      ['ollama', 'alterego-sam', 'http://127.0.0.1:11434/v1'],
    ]);
    expect(await readFile(join(runDir, 'serve', 'mlx_lm.server.sh'), 'utf8')).toContain(
      `exec mlx_lm.server --model mlx-community/Qwen2.5-1.5B-Instruct-4bit --adapter-path ${join(runDir, 'adapters')} --host 127.0.0.1 --port 8080`,
    );
    expect(await readFile(join(runDir, 'serve', 'Modelfile'), 'utf8')).toContain(
      `FROM ${join(runDir, 'fused')}\n`,
    );
    expect(await readFile(join(runDir, 'run.log'), 'utf8')).toContain('Iter 20: Train loss 2.345');
    // The manifest's longest example (3000 tokens) sets the sequence length.
    expect(await readFile(join(runDir, 'config.yaml'), 'utf8')).toContain('max_seq_length: 3328\n');

    expect(ledger.listJobs('local:mlx')).toMatchObject([
      {
        provider: 'mlx',
        jobId: started.id,
        state: 'succeeded',
        resultModel: 'default_model',
        model: options.model,
      },
    ]);
    expect(await provider.metrics(started.id)).toEqual([
      { step: 1, validLoss: 3.412 },
      { step: 10, trainLoss: 2.871, tokensPerSecond: 1204 },
      { step: 12, validLoss: 2.101 },
      { step: 20, trainLoss: 2.345, tokensPerSecond: 567.89 },
    ]);
    expect(
      (await provider.checkpoints(started.id)).map((checkpoint) => [
        checkpoint.step,
        checkpoint.model,
      ]),
    ).toEqual([[20, join(runDir, 'adapters', '0000020_adapters.safetensors')]]);
    expect((await provider.list()).map((job) => job.id)).toEqual([started.id]);

    // The same data and options again: the same run, nothing started.
    const again = await provider.start(data, options);
    expect(again.id).toBe(started.id);
    const calls = (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n');
    expect(calls.filter((call) => call.includes('lora'))).toHaveLength(1);

    // follow resumes after the last event it showed.
    const resumed = await collect(provider.events(started.id));
    expect(resumed.events).toEqual([]);
    expect(resumed.states).toEqual(['succeeded']);
    ledger.close();
  });

  it('Ctrl-C: cancel sends SIGTERM to the engine, waits for it and marks the run cancelled', async () => {
    const { provider, ledger, data, runsDir } = await setup('mlx', { FAKE_ENGINE: 'hang' });
    const started = await provider.start(data, {
      model: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit',
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      try {
        for await (const item of provider.events(started.id, { signal: controller.signal })) {
          if (item.type === 'event' && item.event.metrics) {
            seen.push(item.event.message);
            controller.abort();
          }
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(await following).toBeInstanceOf(Error);
    // 24 lines (12 examples × 2 replies), batch 4, 8 epochs (at least 100 examples seen).
    expect(seen).toEqual(['Step 1/48: validation loss=3.4120']);
    const cancelled = await provider.cancel(started.id);
    expect(cancelled.state).toBe('cancelled');
    expect(await readFile(join(runsDir, started.id, 'got-signal'), 'utf8')).toBe('SIGTERM');
    expect(ledger.jobById(started.id)?.state).toBe('cancelled');
    const { events, states } = await collect(provider.events(started.id, { after: undefined }));
    expect(states).toEqual(['cancelled']);
    expect(events.at(-1)?.message).toBe('Cancelled; mlx_lm stopped');
    await expect(provider.cancel(started.id)).rejects.toThrow(
      `job ${started.id} has already been cancelled`,
    );
    ledger.close();
  });

  it('an engine that fails: the run fails with the exception line and where the log is', async () => {
    const { provider, ledger, data, runsDir } = await setup('mlx', { FAKE_ENGINE: 'crash' });
    const started = await provider.start(data, {
      model: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit',
    });
    const done = await provider.wait(started.id);
    expect(done.state).toBe('failed');
    expect(done.error).toBe(
      `mlx_lm stopped with exit code 1: ValueError: Requested to train 16 layers but the model only has 2 layers. (log: ${join(runsDir, started.id, 'run.log')})`,
    );
    expect(ledger.jobById(started.id)?.error).toBe(done.error);
    // A failed run is trained again when started again.
    const again = await provider.start(data, { model: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit' });
    expect(again.id).not.toBe(started.id);
    await provider.wait(again.id);
    ledger.close();
  });

  it('refuses to start without the engine, with the install command, and starts nothing', async () => {
    const { provider, data, runsDir, dir } = await setup('mlx', { FAKE_ENGINE: 'missing' });
    const error = await provider.start(data, { model: 'x' }).catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).kind).toBe('engine-missing');
    expect((error as ProviderError).message).toBe(
      `mlx_lm cannot be imported by ${join(dir, 'python3')} (ModuleNotFoundError: No module named 'mlx_lm'); install with: ${join(dir, 'python3')} -m pip install mlx-lm`,
    );
    expect(existsSync(runsDir)).toBe(false);
  });

  it('says mlx needs Apple Silicon on other machines', async () => {
    const { data, dir } = await setup('mlx');
    const provider = createLocalProvider({
      engine: 'mlx',
      runsDir: join(dir, 'runs'),
      platform: 'linux',
      arch: 'x64',
    });
    await expect(provider.start(data, { model: 'x' })).rejects.toThrow(
      'mlx trains on a Mac with Apple Silicon only (this machine is linux/x64); on an NVIDIA GPU use --provider hf, or write an Axolotl config with --provider axolotl',
    );
  });
});

describe('local provider with hf (fake engine)', () => {
  it('runs the shipped script with its JSON config and reads its progress lines', async () => {
    const { provider, ledger, data, runsDir, dir } = await setup('hf');
    const started = await provider.start(data, {
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      suffix: 'sam',
    });
    const { events, states } = await collect(provider.events(started.id));
    expect(states).toEqual(['running', 'succeeded']);
    expect(events.flatMap((event) => (event.metrics ? [event.message] : []))).toEqual([
      'Step 4/8: training loss=2.5000 3,457 tokens/s',
      'Step 4/8: validation loss=2.4000',
      'Step 8/8: training loss=1.9000 3,500 tokens/s',
    ]);
    expect(events.map((event) => event.message)).toContain(
      'Training 12 examples (96 reply tokens) for 8 steps on cuda x1',
    );
    const runDir = join(runsDir, started.id);
    const calls = (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n');
    expect(JSON.parse(calls.at(-1)!)).toEqual([
      HF_TRAIN_SCRIPT,
      '--config',
      join(runDir, 'config.json'),
    ]);
    const done = await provider.status(started.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      trainedTokens: 1600,
      result: { model: 'alterego-sam', baseURL: 'http://127.0.0.1:8000/v1' },
    });
    expect(await readFile(join(runDir, 'serve', 'vllm.sh'), 'utf8')).toContain(
      `exec vllm serve Qwen/Qwen2.5-1.5B-Instruct --enable-lora --lora-modules alterego-sam=${join(runDir, 'adapters')} --host 127.0.0.1 --port 8000`,
    );
    expect(await readFile(join(runDir, 'serve', 'Modelfile'), 'utf8')).toBe(
      `# Create with: ollama create alterego-sam -f ${runDir}/serve/Modelfile\n# qwen2.5:1.5b-instruct is Ollama's build of Qwen/Qwen2.5-1.5B-Instruct, the model the adapter was trained on.\nFROM qwen2.5:1.5b-instruct\nADAPTER ${join(runDir, 'adapters')}\n`,
    );
    // Weights reach the script as written: context turns keep weight 0.
    const laid = (await readFile(join(runDir, 'data', 'train.jsonl'), 'utf8')).trim().split('\n');
    expect(laid).toHaveLength(12);
    expect(JSON.parse(laid[0]!)).toEqual(example(0));
    ledger.close();
  });

  it('cancel stops the script with SIGTERM', async () => {
    const { provider, data, runsDir, ledger } = await setup('hf', { FAKE_ENGINE: 'hang' });
    const started = await provider.start(data, { model: 'Qwen/Qwen2.5-1.5B-Instruct' });
    for await (const item of provider.events(started.id)) {
      if (item.type === 'event' && item.event.message.startsWith('Training 12 examples')) break;
    }
    expect((await provider.cancel(started.id)).state).toBe('cancelled');
    expect(await readFile(join(runsDir, started.id, 'got-signal'), 'utf8')).toBe('SIGTERM');
    ledger.close();
  });
});

describe('local provider with axolotl', () => {
  it('writes the config and the command, and waits (paused) until the adapter appears', async () => {
    const { provider, data, runsDir, ledger } = await setup('axolotl');
    const started = await provider.start(data, { model: 'Qwen/Qwen2.5-1.5B-Instruct' });
    const runDir = join(runsDir, started.id);
    expect(started.state).toBe('paused');
    expect(started.artifacts?.command).toBe(`axolotl train ${join(runDir, 'axolotl.yaml')}`);
    expect(await readFile(join(runDir, 'axolotl.yaml'), 'utf8')).toContain(
      'message_field_training: "weight"',
    );
    const { events, states } = await collect(provider.events(started.id));
    expect(states).toEqual(['paused']);
    expect(events.at(-1)?.message).toBe(
      `Run it with: axolotl train ${join(runDir, 'axolotl.yaml')}`,
    );
    await mkdir(join(runDir, 'adapters'));
    await writeFile(join(runDir, 'adapters', 'adapter_model.safetensors'), 'weights');
    expect(await provider.status(started.id)).toMatchObject({
      state: 'succeeded',
      result: { model: 'alterego', baseURL: 'http://127.0.0.1:8000/v1' },
    });
    expect(ledger.jobById(started.id)?.state).toBe('succeeded');
    ledger.close();
  });
});

describe('the shipped Python script', () => {
  const python = process.env.PYTHON ?? 'python3';
  const available = spawnSync(python, ['--version']).status === 0;
  it.skipIf(!available)(
    `compiles with ${python} -m py_compile (skipped when ${python} is not installed)`,
    async () => {
      const dir = await tempDir();
      await promisify(execFile)(python, [
        '-c',
        'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
        HF_TRAIN_SCRIPT,
        join(dir, 'out.pyc'),
      ]);
      expect(existsSync(join(dir, 'out.pyc'))).toBe(true);
    },
  );
  if (!available) it.skip(`py_compile of the hf script: ${python} is not installed here`, () => {});
});
