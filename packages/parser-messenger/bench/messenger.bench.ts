import { join } from 'node:path';
import { openInput } from '@alterego/core';
import {
  CHAT_PEOPLE,
  chatSentence,
  createZipWriter,
  defineBenchmark,
  parserSubject,
  pick,
  seededRandom,
} from '@alterego/core/test';
import { facebookJson } from '../src/__fixtures__/exports.js';
import { messenger } from '../src/index.js';

const THREADS = 500;
/** Facebook writes up to this many messages per page; smaller here so that threads span pages. */
const PAGE = 300;
/** About 1 GB of media for the default 200,000 messages. */
const MEDIA_BYTES_PER_MESSAGE = 5_000;
const MEDIA_FILE = 512 * 1024;

export default defineBenchmark({
  name: 'messenger-parse',
  description:
    'parse a Facebook "Download your information" zip (500 threads, most bytes in media), against inflating and JSON.parse-ing its message files',
  size: { unit: 'messages', default: 200_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'facebook-samrivera.zip');
    const zip = createZipWriter(path);
    const next = seededRandom(11);
    const noise = Buffer.alloc(MEDIA_FILE * 2);
    for (let index = 0; index < noise.length; index += 4)
      noise.writeUInt32LE((next() * 0xffffffff) >>> 0, index);
    const root = 'your_facebook_activity/messages/inbox';
    await zip.add({
      name: 'personal_information/profile_information/profile_information.json',
      data: facebookJson({ profile_v2: { name: { full_name: CHAT_PEOPLE[0] } } }),
    });
    const mediaFiles = Math.max(THREADS, Math.round((size * MEDIA_BYTES_PER_MESSAGE) / MEDIA_FILE));
    let messagesLeft = size;
    for (let thread = 0; thread < THREADS; thread += 1) {
      const count = thread === THREADS - 1 ? messagesLeft : Math.floor(size / THREADS);
      messagesLeft -= count;
      const folder = `friend${thread}_${10158000000000000 + thread * 7919}`;
      const other = CHAT_PEOPLE[1 + (thread % (CHAT_PEOPLE.length - 1))]!;
      const group = thread % 10 === 0;
      const participants = group ? CHAT_PEOPLE : [CHAT_PEOPLE[0]!, other];
      let time = Date.UTC(2016, 0, 1) + thread * 3_600_000;
      const photos =
        Math.floor(((thread + 1) * mediaFiles) / THREADS) -
        Math.floor((thread * mediaFiles) / THREADS);
      const messages: Record<string, unknown>[] = [];
      for (let index = 0; index < count; index += 1) {
        time += Math.floor(next() * next() * 86_400_000);
        const sender = pick(next, participants);
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
          message.content = chatSentence(next);
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
        await zip.add({ name: `${root}/${folder}/message_${number}.json`, data: json });
      }
      for (let index = 0; index < photos; index += 1) {
        const start = Math.floor(next() * MEDIA_FILE);
        await zip.add({
          name: `${root}/${folder}/photos/${index}.jpg`,
          data: noise.subarray(start, start + MEDIA_FILE),
          compress: false,
        });
      }
    }
    return { path, bytes: await zip.close(), items: size };
  },
  subjects: [
    parserSubject({
      name: '@alterego/parser-messenger',
      parser: messenger,
      options: { timeZone: 'UTC' },
    }),
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
