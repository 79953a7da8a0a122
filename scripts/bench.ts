// `npm run bench`: runs every package's benchmarks (packages/*/bench/*.bench.ts, apps/*/bench/*.bench.ts)
// on generated inputs, each subject in its own process, and appends the results to BENCHMARKS.md.
//
//   npm run bench                          all benchmarks at their default sizes
//   npm run bench -- --only whatsapp-parse one benchmark (repeatable)
//   npm run bench -- --size whatsapp-parse=200000 --runs 5
//   npm run bench -- --no-record           print only, leave BENCHMARKS.md alone
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { BenchmarkDefinition, GeneratedInput } from '@alterego/core/test';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    size: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: npm run bench -- [--only NAME]... [--size NAME=N | --size N]... [--runs N] [--no-record]',
  );
  process.exit(0);
}
const runs = Math.max(1, Number(values.runs));
const sizes = new Map<string, number>();
let defaultSizeOverride: number | undefined;
for (const spec of values.size ?? []) {
  const [name, size] = spec.includes('=') ? spec.split('=') : [undefined, spec];
  const parsed = Number(size);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`--size ${spec}: expected NAME=N or N with N > 0`);
  if (name) sizes.set(name, parsed);
  else defaultSizeOverride = parsed;
}

async function findBenchFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const project of await readdir(groupDir)) {
      const benchDir = join(groupDir, project, 'bench');
      if (!existsSync(benchDir)) continue;
      for (const file of (await readdir(benchDir)).sort()) {
        if (file.endsWith('.bench.ts')) files.push(join(benchDir, file));
      }
    }
  }
  return files;
}

interface Measured {
  subject: string;
  peer: boolean;
  items: number;
  ms: number;
  maxRssKb: number;
  rssBeforeKb: number;
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function generate(definition: BenchmarkDefinition, size: number): Promise<GeneratedInput> {
  const dir = join(root, '.bench', `${definition.name}-${size}`);
  const marker = join(dir, 'generated.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as GeneratedInput;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const generated = await definition.generate({ size, dir });
  await writeFile(marker, JSON.stringify(generated));
  return generated;
}

async function measure(
  file: string,
  index: number,
  input: string,
): Promise<Omit<Measured, 'subject' | 'peer'>> {
  const { stdout } = await run(
    process.execPath,
    [
      '--conditions=@alterego/source',
      '--import',
      'tsx',
      '--expose-gc',
      join(root, 'scripts/bench/worker.ts'),
      file,
      String(index),
      input,
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  const lastLine = stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(lastLine) as Omit<Measured, 'subject' | 'peer'>;
}

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const files = await findBenchFiles();
const rows: string[] = [];
let mismatches = 0;
for (const file of files) {
  const definition = (await import(pathToFileURL(file).href)).default as BenchmarkDefinition;
  if (values.only && !values.only.includes(definition.name)) continue;
  const size = sizes.get(definition.name) ?? defaultSizeOverride ?? definition.size.default;
  console.error(`\n${definition.name} (${relative(root, file)}): ${definition.description}`);
  console.error(`  generating ${format(size)} ${definition.size.unit}…`);
  const input = await generate(definition, size);
  const mb = input.bytes / 1024 / 1024;
  console.error(
    `  input: ${format(mb, 1)} MB, ${format(input.items)} ${definition.itemUnit}; ${runs} run(s) per subject, median reported`,
  );
  // Runs take turns, one of each subject after another: a machine whose speed drifts (a VM and
  // its neighbours) slows every subject alike, not the ones that happened to run late.
  const samplesOf = definition.subjects.map((): Awaited<ReturnType<typeof measure>>[] => []);
  for (let attempt = 0; attempt < runs; attempt += 1) {
    for (const index of definition.subjects.keys()) {
      samplesOf[index]!.push(await measure(file, index, input.path));
    }
  }
  const results: Measured[] = [];
  for (const [index, subject] of definition.subjects.entries()) {
    const samples = samplesOf[index]!;
    if (runs > 1) {
      console.error(
        `  ${subject.name}: ${samples.map((sample) => `${format(sample.ms / 1000, 2)} s`).join(', ')}`,
      );
    }
    results.push({
      subject: subject.name,
      peer: Boolean(subject.peer),
      items: samples[0]!.items,
      ms: median(samples.map((sample) => sample.ms)),
      maxRssKb: median(samples.map((sample) => sample.maxRssKb)),
      rssBeforeKb: median(samples.map((sample) => sample.rssBeforeKb)),
    });
  }
  const baseline = results.find((result) => !result.peer) ?? results[0]!;
  const baseRate = baseline.items / baseline.ms;
  const width = Math.max(44, ...results.map((result) => result.subject.length));
  console.error(
    `  ${'subject'.padEnd(width)} ${'items'.padStart(10)} ${'time'.padStart(9)} ${`${definition.itemUnit}/s`.padStart(14)} ${'MB/s'.padStart(7)} ${'peak RSS'.padStart(9)} ratio`,
  );
  for (const result of results) {
    const rate = (result.items / result.ms) * 1000;
    const ratio =
      result === baseline
        ? 'baseline'
        : `ours ${format(baseRate / (result.items / result.ms), 2)}×`;
    const ok = result.items === input.items ? '' : `  MISMATCH: expected ${input.items}`;
    if (ok) mismatches += 1;
    console.error(
      `  ${result.subject.padEnd(width)} ${format(result.items).padStart(10)} ${`${format(result.ms / 1000, 2)} s`.padStart(9)} ${format(rate).padStart(14)} ${format((mb / result.ms) * 1000, 1).padStart(7)} ${`${format(result.maxRssKb / 1024)} MB`.padStart(9)} ${ratio}${ok}`,
    );
    rows.push(
      `| ${new Date().toISOString().slice(0, 10)} | ${definition.name} | ${format(size)} ${definition.size.unit} (${format(mb, 1)} MB) | ${result.subject}${result.peer ? ' (peer)' : ''} | ${format(result.items)} | ${format(result.ms / 1000, 2)} s | ${format(rate)} ${definition.itemUnit}/s | ${format((mb / result.ms) * 1000, 1)} | ${format(result.maxRssKb / 1024)} MB (start ${format(result.rssBeforeKb / 1024)} MB) | ${result === baseline ? 'baseline' : `${format(baseRate / (result.items / result.ms), 2)}×`}${ok ? ' MISMATCH' : ''} |`,
    );
  }
}

if (rows.length === 0) {
  console.error('no benchmark matched');
  process.exit(values.only ? 2 : 0);
}

if (!values['no-record']) {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${format(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  const target = join(root, 'BENCHMARKS.md');
  if (!existsSync(target)) {
    await writeFile(
      target,
      `# Benchmarks\n\nAppended by \`npm run bench\`: generated inputs, each subject in its own process (median of the runs), peers in the same run. *ratio* is how many times faster ours is than the peer on the same input (items/s). Peak RSS is the whole process, Node and the loader included; *start* is the RSS just before the run.\n`,
    );
  }
  await appendFile(
    target,
    `\n## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}, ${runs} run(s)\n\n| date | benchmark | input | subject | items | time | throughput | MB/s | peak RSS | ratio |\n|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
  console.error(`\nrecorded in ${relative(process.cwd(), target) || 'BENCHMARKS.md'}`);
}
process.exit(mismatches > 0 ? 1 : 0);
