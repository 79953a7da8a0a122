import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './__fixtures__/data.js';
import { openLedger } from './ledger.js';

const tempDir = useTempDirs();

describe('openLedger', () => {
  it('keeps uploads by content hash across reopening', async () => {
    const path = join(await tempDir(), 'nested', 'finetune.sqlite');
    const ledger = openLedger(path);
    ledger.beginUpload({
      endpoint: 'e',
      sha256: 'abc',
      purpose: 'fine-tune',
      bytes: 3,
      filename: 'f.jsonl',
    });
    expect(ledger.findUpload('e', 'abc', 'fine-tune')).toMatchObject({
      fileId: undefined,
      bytes: 3,
    });
    ledger.completeUpload('e', 'abc', 'fine-tune', 'file-1');
    ledger.close();

    const again = openLedger(path);
    expect(again.findUpload('e', 'abc', 'fine-tune')).toMatchObject({
      endpoint: 'e',
      sha256: 'abc',
      fileId: 'file-1',
      filename: 'f.jsonl',
    });
    expect(again.findUpload('other', 'abc', 'fine-tune')).toBeUndefined();
    again.forgetUpload('e', 'abc', 'fine-tune');
    expect(again.findUpload('e', 'abc', 'fine-tune')).toBeUndefined();
    again.close();
  });

  it('records the intent to create a job before its id, then its state, result and cursor', async () => {
    let time = Date.UTC(2026, 0, 1);
    const ledger = openLedger(join(await tempDir(), 'l.sqlite'), { now: () => new Date(time) });
    ledger.beginJob({
      endpoint: 'e',
      provider: 'openai',
      idempotencyKey: 'k1',
      manifestHash: 'm',
      model: 'gpt',
    });
    // A second intent with the same key changes nothing.
    ledger.beginJob({ endpoint: 'e', provider: 'openai', idempotencyKey: 'k1', model: 'other' });
    expect(ledger.findJob('e', 'k1')).toMatchObject({
      state: 'pending',
      jobId: undefined,
      model: 'gpt',
      manifestHash: 'm',
    });

    time += 1000;
    ledger.completeJob('e', 'k1', 'ftjob-1', 'validating_files');
    ledger.updateJob('ftjob-1', { state: 'succeeded', resultModel: 'ft:gpt:x' });
    ledger.setLastEvent('ftjob-1', 'ev-9');
    ledger.updateJob('missing', { state: 'failed' });
    const job = ledger.jobById('ftjob-1');
    expect(job).toMatchObject({
      jobId: 'ftjob-1',
      state: 'succeeded',
      resultModel: 'ft:gpt:x',
      lastEventId: 'ev-9',
      provider: 'openai',
    });
    expect(job?.updatedAt.getTime()).toBe(time);
    expect(ledger.jobById('ftjob-1', 'elsewhere')).toBeUndefined();

    time += 1000;
    ledger.beginJob({ endpoint: 'e2', provider: 'openai', idempotencyKey: 'k2', model: 'gpt' });
    expect(ledger.listJobs().map((record) => record.idempotencyKey)).toEqual(['k2', 'k1']);
    expect(ledger.listJobs('e').map((record) => record.idempotencyKey)).toEqual(['k1']);
    ledger.close();
  });
});
