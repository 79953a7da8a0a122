import { createReadStream } from 'node:fs';
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

/**
 * The least a parser of this file does, as a floor for the others: decode it, split its lines,
 * and make one message object per line that starts with a digit, with an id, a time and a text
 * string. The time comes from a table, not from reading the date; nothing is checked, no author
 * is found, nothing is sorted. What a real parser spends beyond this is its parsing.
 */
async function floor(path: string): Promise<{ items: number }> {
  const days = Array.from({ length: 4096 }, (_, day) =>
    new Date(Date.UTC(2019, 0, 1) + day * 86_400_000).toISOString().slice(0, 11),
  );
  const minutes = Array.from(
    { length: 60 },
    (_, minute) => `09:${String(minute).padStart(2, '0')}:00.000Z`,
  );
  const messages: { id: string; senderId: string; time: string; type: string; text: string }[] = [];
  const decoder = new TextDecoder();
  let line = 0;
  let carry = '';
  let last: (typeof messages)[number] | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    const text = carry + decoder.decode(chunk as Buffer, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      line += 1;
      const first = text.charCodeAt(start);
      if (first >= 0x30 && first <= 0x39) {
        const dash = text.indexOf(' - ', start);
        const colon = text.indexOf(': ', dash);
        last = {
          id: String(line),
          senderId: 'author',
          time: days[line % days.length]! + minutes[text.charCodeAt(dash - 4) % 60]!,
          type: 'text',
          text: text.slice(colon + 2, end),
        };
        messages.push(last);
      } else if (last !== undefined) {
        last.text += `\n${text.slice(start, end)}`;
      }
      start = end + 1;
    }
    carry = text.slice(start);
  }
  return { items: messages.length };
}

export default defineBenchmark({
  name: 'whatsapp-parse',
  description:
    'parse a WhatsApp Android export (group chat, realistic mix), against whatsapp-chat-parser and a floor that only splits lines and makes the objects',
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
    {
      name: 'floor: decode, split lines, one object per message',
      peer: true,
      run: floor,
    },
  ],
});
