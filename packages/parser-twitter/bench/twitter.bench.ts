import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHAT_WORDS,
  chatSentence,
  createTextFileWriter,
  defineBenchmark,
  parserSubject,
  pick,
  seededRandom,
} from '@alterego/core/test';
import { twitter } from '../src/index.js';

const OWNER_ID = '322603863';
/** Tweets: the everyday phrases, and what the timeline adds (HTML escapes, hashtags, flags). */
const TWEET_WORDS = [
  ...CHAT_WORDS,
  'just shipped the new release',
  'thread',
  'coffee ☕',
  'honestly this is great',
  '&amp;',
  '&lt;3',
  'why does nobody talk about',
  'typescript parsers',
  '🚀',
  '🇳🇿',
  'weekend',
  '#buildinpublic',
];
const FRIENDS = ['1850280926082650112', '783214', '17874544', '1234567890123456789'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function createdAt(time: number): string {
  const date = new Date(time);
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${day} ${date.toISOString().slice(11, 19)} +0000 ${date.getUTCFullYear()}`;
}

/** JSON as X writes it: two-space indentation, `" : "` between keys and values. */
function archiveJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** One tweet in the archive's shape, with the realistic mix: links, photos, replies, retweets. */
function makeTweet(id: string, time: number, previous: string | undefined, next: () => number) {
  const roll = next();
  let text = chatSentence(next, { words: TWEET_WORDS, min: 3, max: 20 });
  const urls: unknown[] = [];
  const media: unknown[] = [];
  const mentions: unknown[] = [];
  let reply: Record<string, string> = {};
  let range: [number, number];
  if (roll < 0.15) {
    text = `RT @friend${Math.floor(next() * 50)}: ${text}`.slice(0, 139) + '…';
  } else if (roll < 0.3) {
    const friend = pick(next, FRIENDS);
    const prefix = `@friend${friend.slice(-3)} `;
    mentions.push({
      name: 'Friend',
      screen_name: prefix.slice(1, -1),
      indices: ['0', String(prefix.length - 1)],
      id_str: friend,
      id: friend,
    });
    reply = {
      in_reply_to_status_id_str: String(
        1_500_000_000_000_000_000n + BigInt(Math.floor(next() * 1e9)),
      ),
      in_reply_to_user_id_str: friend,
      in_reply_to_screen_name: prefix.slice(1, -1),
    };
    text = prefix + text;
    range = [prefix.length, codePoints(text)];
  } else if (roll < 0.4 && previous) {
    reply = {
      in_reply_to_status_id_str: previous,
      in_reply_to_user_id_str: OWNER_ID,
      in_reply_to_screen_name: 'samrivera',
    };
  }
  if (next() < 0.2) {
    const link = `https://t.co/${id.slice(-10)}`;
    const start = codePoints(text) + 1;
    text += ` ${link}`;
    urls.push({
      url: link,
      expanded_url: `https://example.com/post/${id}?ref=twitter`,
      display_url: `example.com/post/${id.slice(0, 8)}…`,
      indices: [String(start), String(start + link.length)],
    });
  }
  range ??= [0, codePoints(text)];
  if (next() < 0.12) {
    const link = `https://t.co/m${id.slice(-9)}`;
    const start = codePoints(text) + 1;
    text += ` ${link}`;
    media.push({
      expanded_url: `https://twitter.com/samrivera/status/${id}/photo/1`,
      indices: [String(start), String(start + link.length)],
      url: link,
      media_url: `http://pbs.twimg.com/media/F${id.slice(-8)}.jpg`,
      id_str: `${id}1`,
      id: `${id}1`,
      media_url_https: `https://pbs.twimg.com/media/F${id.slice(-8)}.jpg`,
      sizes: { large: { w: '2048', h: '1536', resize: 'fit' } },
      type: 'photo',
      display_url: 'pic.twitter.com/abcdefghij',
    });
  }
  return {
    tweet: {
      edit_info: {
        initial: {
          editTweetIds: [id],
          editableUntil: new Date(time + 3_600_000).toISOString(),
          editsRemaining: '5',
          isEditEligible: false,
        },
      },
      retweeted: false,
      source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
      entities: {
        hashtags: [],
        symbols: [],
        user_mentions: mentions,
        urls,
        ...(media.length ? { media } : {}),
      },
      display_text_range: range.map(String),
      favorite_count: String(Math.floor(next() * 40)),
      id_str: id,
      truncated: false,
      retweet_count: String(Math.floor(next() * 5)),
      id,
      created_at: createdAt(time),
      favorited: false,
      full_text: text,
      lang: 'en',
      ...(media.length ? { extended_entities: { media } } : {}),
      ...reply,
    },
  };
}

/** Writes a data file, `window.YTD.<global> = [ … ]`, item by item; returns its size in bytes. */
async function writeDataFile(
  path: string,
  global: string,
  count: number,
  item: (index: number) => unknown,
): Promise<number> {
  const out = createTextFileWriter(path);
  await out.write(`window.YTD.${global} = [ `);
  for (let index = 0; index < count; index += 1)
    await out.write((index === 0 ? '' : ', ') + archiveJson(item(index)));
  await out.write(' ]');
  return out.close();
}

/** Strips `window.YTD.… = ` and JSON.parses each data file: the floor any parser stands on. */
async function parseFilesOnly(dir: string): Promise<number> {
  let tweets = 0;
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.js')) continue;
    const text = await readFile(join(dir, name), 'utf8');
    const items = JSON.parse(text.slice(text.indexOf('=') + 1)) as unknown[];
    if (name.startsWith('tweets')) tweets += items.length;
  }
  return tweets;
}

export default defineBenchmark({
  name: 'twitter-parse',
  description:
    'parse a Twitter/X archive folder (tweets in three parts, account, direct messages), against stripping the prefixes and JSON.parse alone',
  size: { unit: 'tweets', default: 200_000 },
  itemUnit: 'tweets',
  async generate({ size, dir }) {
    const root = join(dir, 'twitter-archive');
    const data = join(root, 'data');
    await mkdir(data, { recursive: true });
    const next = seededRandom(11);
    let bytes = await writeDataFile(join(data, 'account.js'), 'account.part0', 1, () => ({
      account: {
        email: 'sam@example.com',
        createdVia: 'web',
        username: 'samrivera',
        accountId: OWNER_ID,
        createdAt: '2011-06-23T13:04:14.000Z',
        accountDisplayName: 'Sam Rivera',
      },
    }));
    let time = Date.UTC(2012, 0, 1);
    let id = 200_000_000_000_000_000n;
    let previous: string | undefined;
    const parts = 3;
    for (let part = 0; part < parts; part += 1) {
      const count = Math.floor(size / parts) + (part < size % parts ? 1 : 0);
      bytes += await writeDataFile(
        join(data, part === 0 ? 'tweets.js' : `tweets-part${part}.js`),
        `tweets.part${part}`,
        count,
        () => {
          time += Math.floor(next() * 8 * 3_600_000);
          id += BigInt(1 + Math.floor(next() * 1e12));
          const tweetId = id.toString();
          const value = makeTweet(tweetId, time, previous, next);
          previous = tweetId;
          return value;
        },
      );
    }
    const conversations = 40;
    bytes += await writeDataFile(
      join(data, 'direct-messages.js'),
      'direct_messages.part0',
      conversations,
      (index) => {
        const friend = String(9_000_000 + index);
        const messages: unknown[] = [];
        let at = Date.UTC(2022, 0, 1) + index * 86_400_000;
        for (let message = 0; message < 100; message += 1) {
          at += Math.floor(next() * 600_000);
          const mine = next() < 0.5;
          messages.unshift({
            messageCreate: {
              recipientId: mine ? friend : OWNER_ID,
              reactions:
                next() < 0.05
                  ? [
                      {
                        senderId: mine ? friend : OWNER_ID,
                        reactionKey: 'like',
                        eventId: `${index}${message}`,
                        createdAt: new Date(at).toISOString(),
                      },
                    ]
                  : [],
              urls: [],
              text: chatSentence(next),
              mediaUrls: [],
              senderId: mine ? OWNER_ID : friend,
              id: `${index}${String(message).padStart(4, '0')}`,
              createdAt: new Date(at).toISOString(),
              editHistory: [],
            },
          });
        }
        return { dmConversation: { conversationId: `${OWNER_ID}-${friend}`, messages } };
      },
    );
    return { path: root, bytes, items: size };
  },
  subjects: [
    parserSubject({
      name: '@alterego/parser-twitter (streaming)',
      parser: twitter,
      count: (conversation) => (conversation.kind === 'posts' ? conversation.messages.length : 0),
    }),
    {
      name: 'strip prefix + JSON.parse (floor, no conversion)',
      peer: true,
      async run(path) {
        return { items: await parseFilesOnly(join(path, 'data')) };
      },
    },
  ],
});
