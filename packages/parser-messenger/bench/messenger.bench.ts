import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { collectParse, openInput } from '@alterego/core';
import { defineBenchmark, seededRandom } from '@alterego/core/test';
import { messenger } from '../src/index.js';

const PEOPLE = [
  'Sam Rivera',
  'Zoë Brandt',
  'Priya Nair',
  'Jonas Weber',
  'Mia Okafor',
  'Léa Dubois',
  'Alex Chen',
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
  'danke schön',
  'à demain',
];

/** Facebook's escaping: every UTF-8 byte of non-ASCII text as its own \u00XX. */
function facebookJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x00-\x7f]+/g, (chars) =>
    [...Buffer.from(chars, 'utf8')]
      .map((byte) => `\\u00${byte.toString(16).padStart(2, '0')}`)
      .join(''),
  );
}

/** A zip written entry by entry to disk (stored media, deflated JSON), never held in memory. */
class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  constructor(private readonly out: WriteStream) {}

  private async write(buffer: Buffer): Promise<void> {
    this.offset += buffer.length;
    if (!this.out.write(buffer)) await once(this.out, 'drain');
  }

  async add(name: string, data: Buffer, compress: boolean): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = compress ? deflateRawSync(data) : data;
    const checksum = crc32(data);
    const method = compress ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(this.offset, 42);
    this.central.push(central, nameBytes);
    this.count += 1;
    await this.write(Buffer.concat([local, nameBytes]));
    await this.write(body);
  }

  async finish(): Promise<void> {
    const directory = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(this.offset, 16);
    await this.write(Buffer.concat([directory, end]));
    this.out.end();
    await once(this.out, 'finish');
  }
}

const THREADS = 500;
/** Facebook writes up to this many messages per page; smaller here so that threads span pages. */
const PAGE = 300;
/** About 1 GB of media for the default 200,000 messages. */
const MEDIA_BYTES_PER_MESSAGE = 5_000;
const MEDIA_FILE = 512 * 1024;

function sentence(next: () => number): string {
  const length = 1 + Math.floor(next() * 7);
  const words: string[] = [];
  for (let index = 0; index < length; index += 1)
    words.push(WORDS[Math.floor(next() * WORDS.length)]!);
  return words.join(' ');
}

export default defineBenchmark({
  name: 'messenger-parse',
  description:
    'parse a Facebook "Download your information" zip (500 threads, most bytes in media), against inflating and JSON.parse-ing its message files',
  size: { unit: 'messages', default: 200_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'facebook-samrivera.zip');
    const zip = new ZipWriter(createWriteStream(path));
    const next = seededRandom(11);
    const noise = Buffer.alloc(MEDIA_FILE * 2);
    for (let index = 0; index < noise.length; index += 4)
      noise.writeUInt32LE((next() * 0xffffffff) >>> 0, index);
    const root = 'your_facebook_activity/messages/inbox';
    await zip.add(
      'personal_information/profile_information/profile_information.json',
      Buffer.from(facebookJson({ profile_v2: { name: { full_name: 'Sam Rivera' } } })),
      true,
    );
    const mediaFiles = Math.max(THREADS, Math.round((size * MEDIA_BYTES_PER_MESSAGE) / MEDIA_FILE));
    let messagesLeft = size;
    for (let thread = 0; thread < THREADS; thread += 1) {
      const count = thread === THREADS - 1 ? messagesLeft : Math.floor(size / THREADS);
      messagesLeft -= count;
      const folder = `friend${thread}_${10158000000000000 + thread * 7919}`;
      const other = PEOPLE[1 + (thread % (PEOPLE.length - 1))]!;
      const group = thread % 10 === 0;
      const participants = group ? PEOPLE : ['Sam Rivera', other];
      let time = Date.UTC(2016, 0, 1) + thread * 3_600_000;
      const photos =
        Math.floor(((thread + 1) * mediaFiles) / THREADS) -
        Math.floor((thread * mediaFiles) / THREADS);
      const messages: Record<string, unknown>[] = [];
      for (let index = 0; index < count; index += 1) {
        time += Math.floor(next() * next() * 86_400_000);
        const sender = participants[Math.floor(next() * participants.length)]!;
        const roll = next();
        const message: Record<string, unknown> = { sender_name: sender, timestamp_ms: time };
        if (index < photos) {
          message.photos = [
            {
              uri: `${root}/${folder}/photos/${index}.jpg`,
              creation_timestamp: Math.floor(time / 1000),
            },
          ];
        } else if (roll < 0.01) {
          message.type = 'Call';
          message.call_duration = Math.floor(next() * 3600);
        } else if (roll < 0.03) {
          message.share = { link: 'https://example.com/article', share_text: 'An article' };
          message.content = 'https://example.com/article';
        } else {
          message.content = sentence(next);
        }
        if (next() < 0.05) message.reactions = [{ reaction: '❤️', actor: participants[0]! }];
        message.is_geoblocked_for_viewer = false;
        message.is_unsent_image_by_messenger_kid_parent = false;
        messages.push(message);
      }
      // Newest first, newest page first, as Facebook writes them.
      messages.reverse();
      const pages = Math.max(1, Math.ceil(messages.length / PAGE));
      for (let number = 1; number <= pages; number += 1) {
        const json = facebookJson({
          participants: participants.map((name) => ({ name })),
          messages: messages.slice((number - 1) * PAGE, number * PAGE),
          title: group ? 'Crew' : other,
          is_still_participant: true,
          thread_path: `inbox/${folder}`,
          magic_words: [],
        });
        await zip.add(`${root}/${folder}/message_${number}.json`, Buffer.from(json), true);
      }
      for (let index = 0; index < photos; index += 1) {
        const start = Math.floor(next() * MEDIA_FILE);
        await zip.add(
          `${root}/${folder}/photos/${index}.jpg`,
          noise.subarray(start, start + MEDIA_FILE),
          false,
        );
      }
    }
    await zip.finish();
    return { path, bytes: (await stat(path)).size, items: size };
  },
  subjects: [
    {
      name: '@alterego/parser-messenger',
      async run(path) {
        const input = await openInput(path);
        try {
          const { conversations } = await collectParse(messenger.parse(input, { timeZone: 'UTC' }));
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
      name: 'floor: inflate + JSON.parse the message files',
      peer: true,
      async run(path) {
        const input = await openInput(path);
        try {
          let items = 0;
          for (const entry of await input.entries()) {
            if (!/^message_\d+\.json$/.test(entry.name)) continue;
            const value = JSON.parse((await entry.readBuffer()).toString('utf8')) as {
              messages: unknown[];
            };
            items += value.messages.length;
          }
          return { items };
        } finally {
          await input.close();
        }
      },
    },
  ],
});
