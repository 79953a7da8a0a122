import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHAT_PEOPLE,
  CHAT_WORDS,
  chatSentence,
  createTextFileWriter,
  defineBenchmark,
  parserSubject,
  pick,
  seededRandom,
} from '@alterego/core/test';
import { discord } from '../src/index.js';

/** Sam Rivera (`samr`) is the exporting account; the bot is one of the channel's regulars. */
const PEOPLE = [
  ...CHAT_PEOPLE.slice(0, 5).map((nickname, index) => ({
    id: String(index + 1).repeat(18),
    name: index === 0 ? 'samr' : nickname.split(' ')[0]!.toLowerCase(),
    nickname,
    isBot: false,
  })),
  { id: '999999999999999999', name: 'Helper', nickname: 'Helper', isBot: true },
];
/** Server talk: the everyday phrases and some gaming ones, a custom emoji among them. */
const WORDS = [
  ...CHAT_WORDS,
  'gg',
  'anyone online',
  '<:pepe:123456789012345678>',
  'patch notes are out',
];

function author(person: (typeof PEOPLE)[number]) {
  return {
    id: person.id,
    name: person.name,
    discriminator: '0000',
    nickname: person.nickname,
    color: null,
    isBot: person.isBot,
    avatarUrl: `https://cdn.discordapp.com/embed/avatars/${person.id.slice(-1)}.png`,
  };
}

/** DiscordChatExporter's layout: two-space indentation, every field written. */
function messageJson(id: bigint, time: number, previous: bigint, next: () => number): string {
  const person = pick(next, PEOPLE);
  const roll = next();
  const message: Record<string, unknown> = {
    id: String(id),
    type: 'Default',
    timestamp: new Date(time).toISOString().replace('Z', '+00:00'),
    timestampEdited:
      next() < 0.03 ? new Date(time + 60_000).toISOString().replace('Z', '+00:00') : null,
    callEndedTimestamp: null,
    isPinned: false,
    content: chatSentence(next, { words: WORDS }),
    author: author(person),
    attachments: [],
    embeds: [],
    stickers: [],
    reactions: [],
    mentions: [],
  };
  if (roll < 0.005) {
    message.type = 'GuildMemberJoin';
    message.content = 'Joined the server.';
  } else if (roll < 0.04) {
    message.content = '';
    message.attachments = [
      {
        id: String(id + 1n),
        url: `https://cdn.discordapp.com/attachments/1/${id}/image.png`,
        fileName: 'image.png',
        fileSizeBytes: 123456,
      },
    ];
  } else if (roll < 0.1) {
    message.type = 'Reply';
    message.reference = { messageId: String(previous), channelId: '7000', guildId: '6000' };
  }
  if (next() < 0.05) {
    message.reactions = [
      {
        emoji: { id: '', name: '👍', isAnimated: false, imageUrl: 'https://twemoji/1f44d.svg' },
        count: 1,
        users: [author(PEOPLE[Math.floor(next() * 5)]!)],
      },
    ];
  }
  return JSON.stringify(message, null, 2).replace(/\n/g, '\n    ');
}

export default defineBenchmark({
  name: 'discord-parse',
  description:
    'parse one big DiscordChatExporter server channel (.json), streaming, against JSON.parse of the whole file',
  size: { unit: 'messages', default: 300_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'Crew - general [7000].json');
    const out = createTextFileWriter(path);
    const next = seededRandom(13);
    await out.write(
      '{\n  "guild": {\n    "id": "6000",\n    "name": "Crew",\n    "iconUrl": "https://cdn.discordapp.com/icons/6000/x.png"\n  },\n  "channel": {\n    "id": "7000",\n    "type": "GuildTextChat",\n    "categoryId": "1",\n    "category": "Text",\n    "name": "general",\n    "topic": null\n  },\n  "dateRange": {\n    "after": null,\n    "before": null\n  },\n  "exportedAt": "2024-04-01T00:00:00+00:00",\n  "messages": [',
    );
    let id = 400_000_000_000_000_000n;
    let previous = id;
    let time = Date.UTC(2018, 0, 1);
    for (let index = 0; index < size; index += 1) {
      time += 1 + Math.floor(next() * 300_000);
      id += 1_000_000n + BigInt(Math.floor(next() * 1_000_000));
      await out.write(`${index === 0 ? '' : ','}\n    ${messageJson(id, time, previous, next)}`);
      previous = id;
    }
    await out.write(`\n  ],\n  "messageCount": ${size}\n}\n`);
    return { path, bytes: await out.close(), items: size };
  },
  subjects: [
    parserSubject({
      name: '@alterego/parser-discord (streaming)',
      parser: discord,
      options: { me: ['samr'] },
    }),
    {
      name: 'JSON.parse of the whole file (floor, no conversion)',
      peer: true,
      async run(path) {
        const data = JSON.parse(await readFile(path, 'utf8')) as { messages: unknown[] };
        return { items: data.messages.length };
      },
    },
  ],
});
