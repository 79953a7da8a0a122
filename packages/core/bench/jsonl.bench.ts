import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type Conversation,
  type Message,
  readConversationsJsonl,
  writeJsonlAtomic,
} from '../src/index.js';
import { CHAT_PEOPLE, chatSentence, defineBenchmark, seededRandom } from '../src/test/index.js';

function* conversations(messagesTotal: number, next: () => number): Generator<Conversation> {
  let made = 0;
  let time = Date.UTC(2019, 0, 1);
  for (let index = 0; made < messagesTotal; index += 1) {
    const count = Math.min(messagesTotal - made, 200 + Math.floor(next() * 4800));
    const messages: Message[] = [];
    for (let m = 0; m < count; m += 1) {
      time += Math.floor(next() * 600_000);
      messages.push({
        id: `m${m}`,
        senderId: next() < 0.5 ? 'p1' : 'p2',
        time: new Date(time).toISOString(),
        type: 'text',
        text: chatSentence(next),
      });
    }
    made += count;
    const friend = CHAT_PEOPLE[1 + (index % (CHAT_PEOPLE.length - 1))]!;
    yield {
      schema: 'alterego.conversation/1',
      id: `whatsapp:${index}`,
      platform: 'whatsapp',
      kind: 'direct',
      title: friend,
      participants: [
        { id: 'p1', name: CHAT_PEOPLE[0]!, self: true },
        { id: 'p2', name: friend, self: false },
      ],
      messages,
      source: { format: 'whatsapp', file: `chat-${index}.txt` },
    };
  }
}

export default defineBenchmark({
  name: 'conversation-jsonl-read',
  description:
    'stream Conversation JSONL with full schema validation, against plain readline + JSON.parse',
  size: { unit: 'messages', default: 1_000_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'conversations.jsonl');
    await writeJsonlAtomic(path, conversations(size, seededRandom(42)));
    return { path, bytes: (await stat(path)).size, items: size };
  },
  subjects: [
    {
      name: '@alterego/core readConversationsJsonl (validated)',
      async run(input) {
        let items = 0;
        for await (const conversation of readConversationsJsonl(createReadStream(input), {
          file: input,
        })) {
          items += conversation.messages.length;
        }
        return { items };
      },
    },
    {
      name: 'node:readline + JSON.parse (no validation)',
      peer: true,
      async run(input) {
        let items = 0;
        for await (const line of createInterface({
          input: createReadStream(input),
          crlfDelay: Infinity,
        })) {
          if (line) items += (JSON.parse(line) as Conversation).messages.length;
        }
        return { items };
      },
    },
  ],
});
