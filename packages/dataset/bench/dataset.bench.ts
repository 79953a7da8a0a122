import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Conversation, type Message, readConversationsJsonl } from '@alterego/core';
import {
  CHAT_PEOPLE,
  chatSentence,
  createTextFileWriter,
  defineBenchmark,
  pick,
  seededRandom,
} from '@alterego/core/test';
import { writeDataset } from '../src/index.js';

const MEDIA: Message['type'][] = ['media', 'sticker', 'reaction', 'deleted', 'call'];
/** Files are read in the chunks the CLI reads them in (@alterego/core's file input). */
const READ = { highWaterMark: 256 * 1024 };

export default defineBenchmark({
  name: 'dataset-build',
  description:
    'build train/valid/manifest from Conversation JSONL (direct + group chats), o200k token counting included, against reading the JSONL alone',
  size: { unit: 'messages', default: 1_000_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'conversations.jsonl');
    const out = createTextFileWriter(path);
    const next = seededRandom(11);
    let written = 0;
    let chat = 0;
    let time = Date.UTC(2018, 0, 1);
    while (written < size) {
      const group = next() < 0.3;
      const others = group
        ? CHAT_PEOPLE.slice(1, 3 + Math.floor(next() * 4))
        : [pick(next, CHAT_PEOPLE.slice(1))];
      const participants = [
        { id: 'p0', name: CHAT_PEOPLE[0]!, self: true },
        ...others.map((name, index) => ({ id: `p${index + 1}`, name, self: false })),
      ];
      // Chat sizes from a few dozen messages to tens of thousands.
      const length = Math.min(size - written, Math.floor(30 + next() ** 3 * 40_000));
      const messages: Message[] = [];
      let sender = 0;
      for (let index = 0; index < length; index += 1) {
        // Bursts seconds apart, pauses of minutes, and silences of hours to weeks.
        const roll = next();
        time +=
          roll < 0.6
            ? Math.floor(next() * 60_000)
            : roll < 0.9
              ? Math.floor(next() * 1_800_000)
              : Math.floor(next() * 86_400_000 * 7);
        // The person writes about 40% of the messages; runs of one sender are common.
        if (next() < 0.45) sender = next() < 0.4 ? 0 : 1 + Math.floor(next() * others.length);
        const typeRoll = next();
        const type = typeRoll < 0.07 ? pick(next, MEDIA) : 'text';
        messages.push({
          id: `m${index}`,
          senderId: `p${sender}`,
          time: new Date(time).toISOString(),
          type,
          text: type === 'text' ? chatSentence(next) : '',
        });
      }
      const conversation: Conversation = {
        schema: 'alterego.conversation/1',
        id: `whatsapp:bench-${chat}`,
        platform: 'whatsapp',
        kind: group ? 'group' : 'direct',
        title: group ? `Group ${chat}` : others[0]!,
        participants,
        messages,
        source: { format: 'whatsapp-txt', file: `chat-${chat}.txt` },
      };
      await out.write(`${JSON.stringify(conversation)}\n`);
      written += length;
      chat += 1;
    }
    return { path, bytes: await out.close(), items: written };
  },
  subjects: [
    {
      name: '@alterego/dataset writeDataset (streaming)',
      async run(path) {
        const dir = await mkdtemp(join(tmpdir(), 'alterego-bench-dataset-'));
        try {
          const manifest = await writeDataset(
            dir,
            readConversationsJsonl(createReadStream(path, READ), { file: path }),
            { includeGroups: true },
          );
          return { items: manifest.messages.read };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'floor: read + validate the Conversation JSONL only',
      peer: true,
      async run(path) {
        let items = 0;
        for await (const conversation of readConversationsJsonl(createReadStream(path, READ), {
          file: path,
        })) {
          items += conversation.messages.length;
        }
        return { items };
      },
    },
  ],
});
