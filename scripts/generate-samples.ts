// Writes the bundled sample data: the exports of a fictional person, Sam Rivera, in every format
// alterego reads so far. Deterministic: running it again gives the same bytes.
//
//   npm run samples            (re)writes samples/
//
// Nothing here is real: the people, numbers and places are invented.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip, seededRandom } from '@alterego/core/test';

const root = fileURLToPath(new URL('../samples/', import.meta.url));

/** One line of a scene: who says it (`me` is Sam) and what, or a special event. */
type Beat =
  | [speaker: string, text: string]
  | [speaker: string, kind: 'media' | 'deleted' | 'edited' | 'sticker', text?: string];

// Scenes of Sam's life, replayed on different days. Sam writes short, lower-case, with emoji,
// and often sends two or three messages in a row.
const DIRECT_SCENES: Beat[][] = [
  [
    ['Alex', 'are we still on for tonight?'],
    ['me', 'yesss'],
    ['me', '7 at the usual place? 🍜'],
    ['Alex', 'perfect. I might be 10 min late, the bus is chaos'],
    ['me', 'no worries, I’ll grab the table'],
  ],
  [
    ['me', 'did you see the game last night'],
    ['me', 'I can’t believe that last minute goal ⚽️'],
    ['Alex', 'I screamed so loud my neighbour knocked'],
    ['me', 'hahaha'],
    ['me', 'worth it'],
  ],
  [
    ['Alex', 'can you send me the photo from saturday?'],
    ['me', 'media'],
    ['me', 'the blurry one is the best one honestly'],
    ['Alex', 'lmao it really is'],
  ],
  [
    ['Alex', 'How was the interview??'],
    ['me', 'honestly? went better than I thought'],
    ['me', 'they asked about the side project\nand I actually had answers for once'],
    ['Alex', 'I knew it!! 🎉'],
    ['me', 'don’t jinx it 😅'],
  ],
  [
    ['me', 'ugh I’m so tired'],
    ['Alex', 'early night?'],
    ['me', 'edited', 'early night. for real this time'],
    ['Alex', 'sure Sam, sure'],
  ],
  [
    ['Alex', 'happy birthday!!! 🎂🥳'],
    ['me', 'thank youuu ❤️'],
    ['me', 'dinner friday? my treat'],
    ['Alex', 'obviously'],
  ],
  [
    ['me', 'deleted'],
    ['me', 'wrong chat sorry 🙈'],
    ['Alex', 'now I’m curious'],
    ['me', 'it was about your present. no more questions'],
  ],
];

const GROUP_SCENES: Beat[][] = [
  [
    ['Priya', 'hike this weekend? weather looks good'],
    ['Jordan', 'I’m in'],
    ['me', 'in!! which trail'],
    ['Priya', 'the ridge one, 12km'],
    ['me', 'ok I’ll bring snacks 🥨'],
    ['Jordan', 'Sam’s snacks are the only reason I go'],
  ],
  [
    ['Jordan', 'media'],
    ['Jordan', 'look who showed up at my door'],
    ['me', 'NO WAY a cat??'],
    ['me', 'name him biscuit'],
    ['Priya', 'biscuit is perfect'],
  ],
  [
    ['me', 'anyone up for board games thursday'],
    ['Priya', 'can’t, late shift 😩'],
    ['Jordan', 'yes. I’m bringing the long one'],
    ['me', 'not the 4 hour one'],
    ['me', 'Jordan please'],
    ['Jordan', 'sticker'],
  ],
  [
    ['Priya', 'reminder: rent for the cabin is due friday'],
    ['me', 'sent!'],
    ['Jordan', 'sending tonight, promise'],
  ],
];

interface Line {
  time: Date;
  author: string;
  body: string;
}

function scheduleScenes(
  scenes: Beat[][],
  names: Record<string, string>,
  start: Date,
  days: number,
  seed: number,
  ios: boolean,
): Line[] {
  const next = seededRandom(seed);
  const lines: Line[] = [];
  let day = 0;
  let round = 0;
  while (day < days) {
    for (const scene of scenes) {
      day += 1 + Math.floor(next() * 5);
      if (day >= days) break;
      const time = new Date(
        start.getTime() +
          day * 86_400_000 +
          (9 + Math.floor(next() * 13)) * 3_600_000 +
          Math.floor(next() * 60) * 60_000,
      );
      for (const beat of scene) {
        time.setTime(time.getTime() + (20 + Math.floor(next() * 240)) * 1000);
        const author = names[beat[0]] ?? beat[0];
        const [, second, third] = beat;
        let body: string;
        if (second === 'media') body = ios ? '\u200Eimage omitted' : '<Media omitted>';
        else if (second === 'sticker') body = ios ? '\u200Esticker omitted' : '<Media omitted>';
        else if (second === 'deleted')
          body = ios ? '\u200EYou deleted this message.' : 'You deleted this message';
        else if (second === 'edited')
          body = `${third ?? ''} ${ios ? '\u200E' : ''}<This message was edited>`;
        else
          body =
            round > 0 && next() < 0.15
              ? `${second} ${['😂', '!', '👍', '🙂'][Math.floor(next() * 4)]}`
              : second;
        lines.push({ time: new Date(time), author, body });
      }
    }
    round += 1;
  }
  return lines;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Android, US locale: `1/4/23, 7:02 PM - Name: text` with U+202F before AM/PM. */
function androidUs(line: Line): string {
  const t = line.time;
  const hour = t.getUTCHours() % 12 || 12;
  const suffix = t.getUTCHours() < 12 ? 'AM' : 'PM';
  const head = `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${String(t.getUTCFullYear()).slice(2)}, ${hour}:${pad(t.getUTCMinutes())}\u202F${suffix} - `;
  return line.author ? `${head}${line.author}: ${line.body}` : `${head}${line.body}`;
}

/** iOS, UK locale: `[14/08/2024, 21:00:10] Name: text`. */
function iosUk(line: Line): string {
  const t = line.time;
  return `[${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}, ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}] ${line.author}: ${line.body}`;
}

// Wall-clock times on Sam's phone (the exports carry no zone; the demo reads them with --tz).
const direct = scheduleScenes(
  DIRECT_SCENES,
  { me: 'Sam Rivera', Alex: 'Alex Chen' },
  new Date(Date.UTC(2023, 0, 3)),
  420,
  7,
  false,
);
const directText = [
  androidUs({
    time: new Date(Date.UTC(2023, 0, 3, 18, 2)),
    author: '',
    body: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
  }),
  ...direct.map(androidUs),
].join('\n');

const group = scheduleScenes(
  GROUP_SCENES,
  { me: 'Sam Rivera', Priya: 'Priya Nair', Jordan: '~\u00A0Jordan' },
  new Date(Date.UTC(2023, 5, 1)),
  300,
  11,
  true,
);
const groupText = [
  iosUk({
    time: new Date(Date.UTC(2023, 5, 1, 20, 0, 10)),
    author: 'Weekend Crew',
    body: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
  }),
  iosUk({
    time: new Date(Date.UTC(2023, 5, 1, 20, 0, 10)),
    author: 'Priya Nair',
    body: 'Priya Nair created group “Weekend Crew”',
  }),
  iosUk({
    time: new Date(Date.UTC(2023, 5, 1, 20, 0, 11)),
    author: 'Weekend Crew',
    body: '\u200EPriya Nair added you',
  }),
  ...group.map(iosUk),
].join('\r\n');

await rm(join(root, 'whatsapp'), { recursive: true, force: true });
await mkdir(join(root, 'whatsapp'), { recursive: true });
await writeFile(join(root, 'whatsapp', 'WhatsApp Chat with Alex Chen.txt'), `${directText}\n`);
await writeFile(
  join(root, 'whatsapp', 'WhatsApp Chat - Weekend Crew.zip'),
  createZip([
    { name: '_chat.txt', data: `${groupText}\r\n`, date: new Date(Date.UTC(2024, 3, 1)) },
  ]),
);
await writeFile(
  join(root, 'README.md'),
  `# Sample exports

The chat exports of a fictional person, **Sam Rivera**, written by \`npm run samples\`
(scripts/generate-samples.ts). Nothing here is real. \`npm run demo\` runs alterego on them.

| file | format |
|---|---|
| whatsapp/WhatsApp Chat with Alex Chen.txt | WhatsApp Android export, US dates, 12-hour clock, direct chat |
| whatsapp/WhatsApp Chat - Weekend Crew.zip | WhatsApp iOS export (\`_chat.txt\` in a zip), UK dates, group chat |

Times are wall-clock times on Sam's phone in America/New_York.
`,
);
console.error(
  `wrote ${direct.length + 1} + ${group.length + 3} lines of WhatsApp samples to ${root}`,
);
