import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Conversation, readConversationsJsonl } from '@alterego/core';
import { useTempFolders } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { chat } from './__fixtures__/chats.js';
import { buildDataset } from './builder.js';
import type { DatasetOptions } from './options.js';
import { validateTrainingFile } from './validate.js';
import { writeDataset } from './write-dataset.js';

const temp = useTempFolders('alterego-dataset-golden-');
/** The WhatsApp samples of this repository (a direct chat and a group), converted by `alterego convert --tz UTC`. */
const SAMPLES = new URL('./__fixtures__/whatsapp-samples.conversations.jsonl', import.meta.url)
  .pathname;

async function samples(): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  for await (const conversation of readConversationsJsonl(createReadStream(SAMPLES), {
    file: SAMPLES,
  })) {
    conversations.push(conversation);
  }
  return conversations;
}

const CASES: { name: string; options: DatasetOptions }[] = [
  { name: 'defaults', options: {} },
  {
    name: 'groups-pairs',
    options: {
      includeGroups: true,
      mode: 'pairs',
      contextTurns: 3,
      redactWords: ['Priya Nair'],
      seed: 7,
    },
  },
];

describe('golden datasets from the WhatsApp samples', () => {
  for (const { name, options } of CASES) {
    it(`matches the committed files (${name})`, async () => {
      const dir = temp.dir();
      await writeDataset(dir, await samples(), options);
      for (const file of ['train.jsonl', 'valid.jsonl', 'manifest.json']) {
        await expect(await readFile(join(dir, file), 'utf8')).toMatchFileSnapshot(
          `./__fixtures__/golden/${name}/${file}`,
        );
      }
      const report = await validateTrainingFile(join(dir, 'train.jsonl'));
      expect(report.errors).toEqual([]);
      expect(report.ok).toBe(true);
    });
  }
});

describe('planted private data', () => {
  it('is fully redacted on both sides, and counted', async () => {
    const planted = [
      ['+1 (555) 010-7788', 'phone'],
      ['+44 7700 900123', 'phone'],
      ['030 1234567', 'phone'],
      ['sam.rivera@example.com', 'email'],
      ['4111 1111 1111 1111', 'card'],
      ['5500-0000-0000-0004', 'card'],
      ['DE89 3704 0044 0532 0130 00', 'iban'],
      ['GB82WEST12345698765432', 'iban'],
      ['192.168.1.20', 'ip'],
      ['2001:db8::8a2e:370:7334', 'ip'],
      ['Priya Nair', 'word'],
    ] as const;
    const messages: [string, number, string][] = [];
    planted.forEach(([secret], index) => {
      messages.push(['alex', index * 2, `so it is ${secret}, right?`]);
      messages.push(['me', index * 2 + 1, `yes ${secret} 👍`]);
    });
    const { train, summary } = await buildDataset([chat({ messages })], {
      redactWords: ['priya nair'],
      minTrainExamples: 0,
      validFraction: 0,
    });
    const text = JSON.stringify(train);
    for (const [secret] of planted) expect(text).not.toContain(secret);
    expect(text).toContain('yes [PHONE] 👍');
    expect(text).toContain('so it is [IBAN], right?');
    expect(summary.redaction).toEqual({ phone: 6, email: 2, card: 4, iban: 4, ip: 4, word: 2 });
  });
});
