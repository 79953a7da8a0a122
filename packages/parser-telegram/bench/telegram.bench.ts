import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHAT_PEOPLE,
  chatSentence,
  createTextFileWriter,
  defineBenchmark,
  parserSubject,
  pick,
  seededRandom,
} from '@alterego/core/test';
import { telegram } from '../src/index.js';

/** `[name, from_id]`: Sam Rivera (user1001) is the account's owner. */
const PEOPLE = CHAT_PEOPLE.slice(0, 6).map((name, index) => [name, `user${1001 + index}`] as const);

/** Telegram Desktop's own layout: one-space indentation, `date` beside `date_unixtime`. */
function messageJson(id: number, unix: number, next: () => number): string {
  const [from, fromId] = pick(next, PEOPLE);
  const date = new Date(unix * 1000).toISOString().slice(0, 19);
  const head = {
    id,
    type: 'message',
    date,
    date_unixtime: String(unix),
    from,
    from_id: fromId,
  };
  const roll = next();
  let body: Record<string, unknown>;
  if (roll < 0.03) {
    body = {
      photo: 'photos/photo_1@01-01-2020_10-00-00.jpg',
      width: 1280,
      height: 960,
      text: '',
      text_entities: [],
    };
  } else if (roll < 0.05) {
    body = {
      file: 'stickers/sticker.webp',
      media_type: 'sticker',
      sticker_emoji: '😂',
      text: '',
      text_entities: [],
    };
  } else if (roll < 0.1) {
    const word = chatSentence(next);
    body = {
      text: [
        { type: 'bold', text: 'look' },
        ` ${word} `,
        { type: 'link', text: 'https://example.com' },
      ],
      text_entities: [
        { type: 'bold', text: 'look' },
        { type: 'plain', text: ` ${word} ` },
        { type: 'link', text: 'https://example.com' },
      ],
    };
  } else {
    const text = chatSentence(next);
    body = { text, text_entities: [{ type: 'plain', text }] };
    if (next() < 0.1) body.reply_to_message_id = Math.max(1, id - 1 - Math.floor(next() * 5));
    if (next() < 0.05) {
      const [reactor, reactorId] = pick(next, PEOPLE);
      body.reactions = [
        {
          type: 'emoji',
          count: 1,
          emoji: '❤',
          recent: [{ from: reactor, from_id: reactorId, date }],
        },
      ];
    }
  }
  return JSON.stringify({ ...head, ...body }, null, 1).replace(/\n/g, '\n    ');
}

export default defineBenchmark({
  name: 'telegram-parse',
  description:
    'parse a Telegram Desktop whole-account result.json (many chats), streaming, against JSON.parse of the whole file',
  size: { unit: 'messages', default: 500_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'result.json');
    const out = createTextFileWriter(path);
    const next = seededRandom(11);
    await out.write(
      '{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 1001,\n  "first_name": "Sam",\n  "last_name": "Rivera",\n  "phone_number": "+49 151 0000000",\n  "username": "@samr",\n  "bio": ""\n },\n "chats": {\n  "about": "This page lists all chats from this export.",\n  "list": [',
    );
    let written = 0;
    let chat = 0;
    let unix = 1_500_000_000;
    while (written < size) {
      // Chat sizes vary a lot: a few big chats, many small ones.
      const count = Math.min(size - written, 1 + Math.floor(next() ** 3 * 40_000));
      chat += 1;
      await out.write(
        `${chat === 1 ? '' : ','}\n   {\n    "name": "Chat ${chat}",\n    "type": "${chat % 4 === 0 ? 'private_supergroup' : 'personal_chat'}",\n    "id": ${100_000 + chat},\n    "messages": [`,
      );
      for (let index = 1; index <= count; index += 1) {
        unix += 1 + Math.floor(next() * 600);
        await out.write(`${index === 1 ? '' : ','}\n    ${messageJson(index, unix, next)}`);
      }
      await out.write('\n    ]\n   }');
      written += count;
    }
    await out.write('\n  ]\n }\n}\n');
    return { path, bytes: await out.close(), items: written };
  },
  subjects: [
    parserSubject({
      name: '@alterego/parser-telegram (streaming)',
      parser: telegram,
      options: { timeZone: 'UTC' },
    }),
    {
      name: 'JSON.parse of the whole file (floor, no conversion)',
      peer: true,
      async run(path) {
        const data = JSON.parse(await readFile(path, 'utf8')) as {
          chats: { list: { messages: unknown[] }[] };
        };
        return { items: data.chats.list.reduce((sum, chat) => sum + chat.messages.length, 0) };
      },
    },
  ],
});
