// Runs one benchmark subject once, in a process of its own, and prints what it measured as JSON.
// Usage: node --conditions=@alterego/source --import tsx scripts/bench/worker.ts <bench file> <subject index> <input>
import { pathToFileURL } from 'node:url';
import type { BenchmarkDefinition } from '@alterego/core/test';

const [file, index, input] = process.argv.slice(2);
if (!file || index === undefined || !input) {
  console.error('usage: worker.ts <bench file> <subject index> <input>');
  process.exit(2);
}
const definition = (await import(pathToFileURL(file).href)).default as BenchmarkDefinition;
const subject = definition.subjects[Number(index)];
if (!subject) {
  console.error(`${file}: no subject ${index}`);
  process.exit(2);
}
globalThis.gc?.();
const rssBeforeKb = Math.round(process.memoryUsage.rss() / 1024);
const start = process.hrtime.bigint();
const result = await subject.run(input);
const ms = result.ms ?? Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(
  `${JSON.stringify({ ms, items: result.items, rssBeforeKb, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
