import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A stand-in for `python3` with an engine installed: answers the import probes, and runs
 * `-m mlx_lm lora --config FILE` or the shipped hf script by printing the lines the real engines
 * print and writing the files they write. FAKE_ENGINE in its environment picks what happens:
 * `missing` (the import fails), `hang` (training never ends; SIGTERM is noted in `got-signal`
 * in the run folder), `crash` (a traceback and exit code 1).
 */
const SCRIPT = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const mode = process.env.FAKE_ENGINE ?? 'ok';
fs.appendFileSync(path.join(process.env.FAKE_LOG_DIR ?? process.cwd(), 'calls.log'), JSON.stringify(args) + '\n');
const esc = '\u001b';
if (args[0] === '-c') {
  if (mode === 'missing') {
    const module = /import json, (\w+)/.exec(args[1])[1];
    process.stderr.write('Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nModuleNotFoundError: No module named \'' + module + '\'\n');
    process.exit(1);
  }
  if (args[1].includes('mlx_lm')) console.log(JSON.stringify({ versions: { mlx_lm: '0.31.0' }, accelerator: 'apple-silicon' }));
  else if (args[1].includes('axolotl')) console.log(JSON.stringify({ versions: { axolotl: '0.12.0' } }));
  else console.log(JSON.stringify({ versions: { torch: '2.9.0', transformers: '4.57.1', peft: '0.17.1', accelerate: '1.10.1' }, accelerator: 'cuda:1' }));
  process.exit(0);
}
const configIndex = args.indexOf('--config');
const configFile = args[configIndex + 1];
const configText = fs.readFileSync(configFile, 'utf8');
if (mode === 'hang') {
  // Before the first line, so that a stop asked for after it is always noted.
  process.on('SIGTERM', () => {
    fs.writeFileSync(path.join(path.dirname(configFile), 'got-signal'), 'SIGTERM');
    process.exit(143);
  });
}
function hang() {
  setInterval(() => {}, 1000);
}
if (args[0] === '-m' && args[1] === 'mlx_lm' && args[2] === 'lora') {
  const adapterPath = JSON.parse(/^adapter_path: (.*)$/m.exec(configText)[1]);
  const iters = Number(/^iters: (\d+)$/m.exec(configText)[1]);
  console.log('Loading configuration file ' + configFile);
  console.log('Loading pretrained model');
  console.log('Loading datasets');
  console.log('Training');
  console.log('Trainable parameters: 0.280% (4.366M/1543.714M)');
  console.log(esc + '[1m  iter   train_loss     tok/s     tokens' + esc + '[0m');
  console.log('  ' + esc + '[38;5;244m   1' + esc + '[0m    ' + esc + '[35;1mval' + esc + '[0m ' + esc + '[1m3.412' + esc + '[0m    ' + esc + '[38;5;244m4.87s' + esc + '[0m');
  if (mode === 'hang') return hang();
  if (mode === 'crash') {
    process.stderr.write('Traceback (most recent call last):\n  File "mlx_lm/lora.py", line 300, in train_model\nValueError: Requested to train 16 layers but the model only has 2 layers.\n');
    process.exit(1);
  }
  console.log('  ' + esc + '[38;5;244m  10' + esc + '[0m    ' + esc + '[1;32m2.871 ▼' + esc + '[0m    ' + esc + '[1m1,204' + esc + '[0m    ' + esc + '[38;5;244m  5.1k' + esc + '[0m');
  console.log('Iter 20: Train loss 2.345, Learning Rate 1.000e-04, It/sec 1.234, Tokens/sec 567.890, Trained Tokens 10234, Peak mem 5.678 GB');
  console.log('Iter ' + iters + ': Val loss 2.101, Val took 4.321s');
  fs.mkdirSync(adapterPath, { recursive: true });
  fs.writeFileSync(path.join(adapterPath, '0000020_adapters.safetensors'), 'weights');
  console.log('  ' + esc + '[1;32msave' + esc + '[0m  ' + esc + '[38;5;244m0000020_adapters.safetensors' + esc + '[0m');
  fs.writeFileSync(path.join(adapterPath, 'adapters.safetensors'), 'weights');
  fs.writeFileSync(path.join(adapterPath, 'adapter_config.json'), '{}');
  process.exit(0);
}
if (args[0].endsWith('alterego_train_hf.py')) {
  const config = JSON.parse(configText);
  process.stderr.write('Some weights of the model checkpoint were not used when initializing\n');
  console.log(JSON.stringify({ alterego: 'start', total_steps: 8, message: 'Training 12 examples (96 reply tokens) for 8 steps on cuda x1' }));
  if (mode === 'hang') return hang();
  console.log(JSON.stringify({ alterego: 'train', step: 4, total_steps: 8, loss: 2.5, learning_rate: 0.0002, epoch: 1.0, tokens_per_second: 3456.7, trained_tokens: 800 }));
  console.log(JSON.stringify({ alterego: 'eval', step: 4, total_steps: 8, eval_loss: 2.4 }));
  console.log(JSON.stringify({ alterego: 'train', step: 8, total_steps: 8, loss: 1.9, epoch: 2.0, tokens_per_second: 3500, trained_tokens: 1600 }));
  fs.mkdirSync(config.output, { recursive: true });
  fs.writeFileSync(path.join(config.output, 'adapter_model.safetensors'), 'weights');
  fs.writeFileSync(path.join(config.output, 'adapter_config.json'), '{}');
  console.log(JSON.stringify({ alterego: 'saved', adapter: config.output }));
  process.exit(0);
}
process.stderr.write('fake python: unexpected arguments ' + JSON.stringify(args) + '\n');
process.exit(2);
`;

/** Writes the fake `python3` into a folder and returns its path. */
export async function writeFakePython(dir: string): Promise<string> {
  const file = join(dir, 'python3');
  await writeFile(file, `#!${process.execPath}\n${SCRIPT}`);
  await chmod(file, 0o755);
  return file;
}
