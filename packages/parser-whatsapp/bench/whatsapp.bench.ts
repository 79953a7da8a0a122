import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { collectParse, openInput } from '@alterego/core';
import { defineBenchmark, seededRandom } from '@alterego/core/test';
import { parseString } from 'whatsapp-chat-parser';
import { whatsapp } from '../src/index.js';

const PEOPLE = [
  'Sam Rivera',
  'Alex Chen',
  'Priya Nair',
  '~\u202FJordan',
  '+1 (555) 010-7788',
  'Mia 🌸',
];
const WORDS = [
  'hey',
  'ok',
  'lol',
  'see you',
  'tomorrow',
  'café?',
  'sounds good',
  'haha',
  '❤️',
  'where are you',
  'on my way 🚗',
  'nice',
  'what time',
  'sure',
  'no way',
  'did you see this',
  'omg',
  '😂😂',
  'yes!!',
  'can’t tonight',
  'running late',
  'love it',
  'brb',
  'send me the address',
  'thank you so much 🙏',
];
const SPECIAL = [
  '<Media omitted>',
  'This message was deleted',
  'IMG-20230113-WA0003.jpg (file attached)',
  'location: https://maps.google.com/?q=40.7411,-73.9897',
  'Missed voice call',
];
const SYSTEM = [
  'Alex Chen added Mia 🌸',
  'Priya Nair changed the group name to “Crew”',
  'Mia 🌸 left',
];

function sentence(next: () => number): string {
  const length = 1 + Math.floor(next() * 8);
  let text = WORDS[Math.floor(next() * WORDS.length)]!;
  for (let index = 1; index < length; index += 1)
    text += ` ${WORDS[Math.floor(next() * WORDS.length)]!}`;
  return text;
}

/** Android US, 12-hour clock with U+202F before AM/PM, as most exports made today look. */
function header(time: number): string {
  const date = new Date(time);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${String(date.getUTCFullYear()).slice(2)}, ${hour12}:${minutes}\u202F${hours < 12 ? 'AM' : 'PM'} - `;
}

export default defineBenchmark({
  name: 'whatsapp-parse',
  description:
    'parse a WhatsApp Android export (group chat, realistic mix), against whatsapp-chat-parser',
  size: { unit: 'lines', default: 1_000_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'WhatsApp Chat with Crew.txt');
    const out = createWriteStream(path);
    const next = seededRandom(7);
    let time = Date.UTC(2019, 0, 1, 9);
    let lines = 0;
    let messages = 0;
    let buffer = '';
    const write = async (text: string) => {
      buffer += text;
      if (buffer.length > 1 << 16) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    };
    await write(
      `${header(time)}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n`,
    );
    lines += 1;
    messages += 1;
    while (lines < size) {
      time += Math.floor(next() * next() * 3_600_000);
      const roll = next();
      messages += 1;
      if (roll < 0.002) {
        await write(`${header(time)}${SYSTEM[Math.floor(next() * SYSTEM.length)]!}\n`);
        lines += 1;
        continue;
      }
      const author = PEOPLE[Math.floor(next() * PEOPLE.length)]!;
      if (roll < 0.06) {
        await write(`${header(time)}${author}: ${SPECIAL[Math.floor(next() * SPECIAL.length)]!}\n`);
        lines += 1;
        continue;
      }
      await write(`${header(time)}${author}: ${sentence(next)}\n`);
      lines += 1;
      // Some messages run over several lines.
      while (next() < 0.08 && lines < size) {
        await write(`${sentence(next)}\n`);
        lines += 1;
      }
    }
    if (buffer) out.write(buffer);
    out.end();
    await once(out, 'finish');
    return { path, bytes: (await stat(path)).size, items: messages };
  },
  subjects: [
    {
      name: '@alterego/parser-whatsapp (streaming)',
      async run(path) {
        const input = await openInput(path);
        try {
          const { conversations } = await collectParse(
            whatsapp.parse(input, { timeZone: 'America/New_York', me: ['Sam Rivera'] }),
          );
          return {
            items: conversations.reduce(
              (sum, conversation) => sum + conversation.messages.length,
              0,
            ),
          };
        } finally {
          await input.close();
        }
      },
    },
    {
      name: 'whatsapp-chat-parser 4.0.2 (whole file in memory)',
      peer: true,
      async run(path) {
        const messages = parseString(await readFile(path, 'utf8'), { parseAttachments: true });
        return { items: messages.length };
      },
    },
  ],
});
