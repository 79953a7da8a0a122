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
import { parseString } from 'whatsapp-chat-parser';
import { whatsapp } from '../src/index.js';

/** The address book's names, and two WhatsApp shows as typed: a push name and a bare number. */
const PEOPLE = [...CHAT_PEOPLE, '~\u202FJordan', '+1 (555) 010-7788'];
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
    const out = createTextFileWriter(path);
    const next = seededRandom(7);
    let time = Date.UTC(2019, 0, 1, 9);
    let lines = 0;
    let messages = 0;
    await out.write(
      `${header(time)}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n`,
    );
    lines += 1;
    messages += 1;
    while (lines < size) {
      time += Math.floor(next() * next() * 3_600_000);
      const roll = next();
      messages += 1;
      if (roll < 0.002) {
        await out.write(`${header(time)}${pick(next, SYSTEM)}\n`);
        lines += 1;
        continue;
      }
      const author = pick(next, PEOPLE);
      if (roll < 0.06) {
        await out.write(`${header(time)}${author}: ${pick(next, SPECIAL)}\n`);
        lines += 1;
        continue;
      }
      await out.write(`${header(time)}${author}: ${chatSentence(next)}\n`);
      lines += 1;
      // Some messages run over several lines.
      while (next() < 0.08 && lines < size) {
        await out.write(`${chatSentence(next)}\n`);
        lines += 1;
      }
    }
    return { path, bytes: await out.close(), items: messages };
  },
  subjects: [
    parserSubject({
      name: '@alterego/parser-whatsapp (streaming)',
      parser: whatsapp,
      options: { timeZone: 'America/New_York', me: ['Sam Rivera'] },
    }),
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
