import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '@alterego/core';
import {
  chatSentence,
  createTextFileWriter,
  defineBenchmark,
  seededRandom,
} from '@alterego/core/test';
import { createOpenAIProvider } from '../src/index.js';

const SYSTEM = 'You are Sam Rivera. Reply the way Sam texts: short, warm, lower case.';

export default defineBenchmark({
  name: 'finetune-check',
  description:
    'check a chat fine-tuning JSONL against the service rules and count billable tokens (checkData), against a JSON.parse-every-line floor',
  size: { unit: 'examples', default: 200_000 },
  itemUnit: 'examples',
  async generate({ size, dir }) {
    const path = join(dir, 'train.jsonl');
    const out = createTextFileWriter(path);
    const next = seededRandom(11);
    for (let index = 0; index < size; index += 1) {
      const messages: { role: string; content: string; weight?: number }[] = [
        { role: 'system', content: SYSTEM },
      ];
      const turns = 1 + Math.floor(next() * 4);
      for (let turn = 0; turn < turns; turn += 1) {
        messages.push({ role: 'user', content: chatSentence(next) });
        messages.push({
          role: 'assistant',
          content: chatSentence(next),
          ...(turn < turns - 1 ? { weight: 0 } : {}),
        });
      }
      await out.write(`${JSON.stringify({ messages })}\n`);
    }
    return { path, bytes: await out.close(), items: size };
  },
  subjects: [
    {
      name: '@alterego/finetune checkData (streaming)',
      async run(path) {
        // Nothing is sent: checkData only reads the file.
        const provider = createOpenAIProvider({
          apiKey: 'unused',
          baseURL: 'http://127.0.0.1:9/v1',
        });
        const check = await provider.checkData(
          { trainFile: path },
          { model: 'gpt-4.1-mini-2025-04-14' },
        );
        return { items: check.train.examples };
      },
    },
    {
      name: 'floor: JSON.parse every line, nothing checked',
      peer: true,
      async run(path) {
        let items = 0;
        for await (const line of readLines(createReadStream(path))) {
          if (line === '') continue;
          const value = JSON.parse(line) as { messages?: unknown };
          if (Array.isArray(value.messages)) items += 1;
        }
        return { items };
      },
    },
  ],
});
