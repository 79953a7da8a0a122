import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { StartOptions, TrainingData } from './provider.js';

/** The SHA-256 of a file's content, hex, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A stable JSON text: object keys sorted at every level, `undefined` left out. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key of a run: the same data with the same options gives the same key, so
 * starting twice resumes the first job instead of paying twice. 32 hex characters.
 */
export function idempotencyKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex').slice(0, 32);
}

/**
 * The idempotency key of starting a run on `data` with `options` at `endpoint`: the files by
 * content, every option that changes what is trained, and what the provider adds (`extra`).
 * An `idempotencyKey` in the options wins.
 */
export async function startKey(
  endpoint: string,
  data: TrainingData,
  options: StartOptions,
  extra: Record<string, unknown>,
): Promise<string> {
  if (options.idempotencyKey) return options.idempotencyKey;
  const train = await hashFile(data.trainFile);
  const validation = data.validationFile ? await hashFile(data.validationFile) : undefined;
  return idempotencyKey({
    endpoint,
    model: options.model,
    train: train.sha256,
    validation: validation?.sha256,
    suffix: options.suffix,
    seed: options.seed,
    hyperparameters: options.hyperparameters,
    metadata: options.metadata,
    ...extra,
  });
}
