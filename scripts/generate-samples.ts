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
// The chat.db builder of the iMessage parser's tests: Apple's own table definitions.
import { encodeAttributedBody } from '../packages/parser-imessage/src/__fixtures__/attributed-body-writer.js';
import { appleNanos, ChatDbBuilder } from '../packages/parser-imessage/src/__fixtures__/chat-db.js';

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

// Messenger: Sam's Facebook "Download your information" zip (JSON, 2025 layout). Facebook writes
// every non-ASCII character as its UTF-8 bytes escaped one by one (`\u00e2\u0080\u0099` for ’).
const MESSENGER_SCENES: Beat[][] = [
  [
    ['Mia', 'are you coming to the climbing gym on wednesday?'],
    ['me', 'yes!! finally healed my finger'],
    ['me', 'bouldering or ropes?'],
    ['Mia', 'bouldering, the new set is up 🧗'],
    ['me', 'perfect, see you at 6'],
  ],
  [
    ['me', 'mia I need a book recommendation'],
    ['me', 'something I can’t put down'],
    ['Mia', 'the one about the lighthouse keeper. trust me'],
    ['me', 'ordered it 📚'],
  ],
  [
    ['Mia', 'media'],
    ['Mia', 'my balcony tomatoes finally happened'],
    ['me', 'look at them!! 🍅'],
    ['me', 'you have to teach me'],
  ],
  [
    ['me', 'running late, 10 min'],
    ['Mia', 'no rush, I’m still parking'],
  ],
];

/** A Messenger export as Facebook writes it: UTF-8 bytes of non-ASCII text escaped as \u00XX. */
function facebookJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[^\x00-\x7f]/gu, (char) =>
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `\\u00${byte.toString(16).padStart(2, '0')}`)
      .join(''),
  );
}

const messengerLines = scheduleScenes(
  MESSENGER_SCENES,
  { me: 'Sam Rivera', Mia: 'Mia Okafor' },
  new Date(Date.UTC(2023, 2, 1)),
  360,
  23,
  false,
);
const messengerNext = seededRandom(29);
const messengerMessages = messengerLines.map((line, index) => {
  // Messenger times are real instants: the scenes' wall-clock times shifted by five hours.
  const message: Record<string, unknown> = {
    sender_name: line.author,
    timestamp_ms: line.time.getTime() + 5 * 3_600_000,
  };
  if (line.body === '<Media omitted>') {
    message.photos = [
      {
        uri: `your_facebook_activity/messages/inbox/miaokafor_10158234567890123/photos/${1000 + index}.jpg`,
        creation_timestamp: Math.floor((line.time.getTime() + 5 * 3_600_000) / 1000),
      },
    ];
  } else {
    message.content = line.body;
  }
  if (line.author === 'Mia Okafor' && messengerNext() < 0.2)
    message.reactions = [{ reaction: '❤', actor: 'Sam Rivera' }];
  message.is_geoblocked_for_viewer = false;
  message.is_unsent_image_by_messenger_kid_parent = false;
  return message;
});
// Newest first, split over two pages, as the export does: message_1.json holds the newest.
const newestFirst = messengerMessages.slice().reverse();
const page = Math.ceil(newestFirst.length / 2);
const threadPath = 'inbox/miaokafor_10158234567890123';
const thread = (messages: unknown[]) =>
  facebookJson({
    participants: [{ name: 'Mia Okafor' }, { name: 'Sam Rivera' }],
    messages,
    title: 'Mia Okafor',
    is_still_participant: true,
    thread_path: threadPath,
    magic_words: [],
  });
const messengerDate = new Date(Date.UTC(2024, 4, 2));
const messengerZip = createZip([
  {
    name: 'personal_information/profile_information/profile_information.json',
    data: facebookJson({
      profile_v2: { name: { full_name: 'Sam Rivera', first_name: 'Sam', last_name: 'Rivera' } },
    }),
    date: messengerDate,
  },
  {
    name: `your_facebook_activity/messages/${threadPath}/message_1.json`,
    data: thread(newestFirst.slice(0, page)),
    date: messengerDate,
  },
  {
    name: `your_facebook_activity/messages/${threadPath}/message_2.json`,
    data: thread(newestFirst.slice(page)),
    date: messengerDate,
  },
  ...messengerMessages.flatMap((message) =>
    ((message.photos as { uri: string }[] | undefined) ?? []).map((photo) => ({
      name: photo.uri,
      // A few bytes stand in for the photo: alterego never reads media.
      data: Buffer.from([
        0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9,
      ]),
      date: messengerDate,
    })),
  ),
]);
await rm(join(root, 'messenger'), { recursive: true, force: true });
await mkdir(join(root, 'messenger'), { recursive: true });
await writeFile(join(root, 'messenger', 'facebook-samrivera-2024-05-02.zip'), messengerZip);

// Twitter/X: Sam's archive, with tweets, a reply thread, a retweet, links and a photo.
const TWEETS: { text: string; kind?: 'retweet' | 'thread' | 'link' | 'photo' }[] = [
  {
    text: 'first day at the new job. the coffee machine has 14 settings and I understand none of them ☕️',
  },
  { text: 'hot take: the best part of a hike is the snacks at the top' },
  {
    text: 'RT @ridgetrails: Trail report: the north loop is open again after the storm. Bring water, the creek crossing is deep.',
    kind: 'retweet',
  },
  { text: 'finished the lighthouse book in one night. no regrets, some regrets 📚' },
  { text: 'thread on learning to climb at 30 🧗', kind: 'thread' },
  {
    text: 'the weekend crew cabin trip, a review: 10/10 views, 2/10 sleep, 11/10 board games',
    kind: 'photo',
  },
  { text: 'this explains the bus chaos finally 🚌 https://t.co/Ab3dE5fGh1', kind: 'link' },
  { text: 'reminder that "quick question" is never quick' },
  { text: 'biscuit the cat has chosen violence today' },
  { text: 'ok I’m officially a morning person now. 6am gym. who am I' },
  { text: 'ramen at 7 &amp; then the game. perfect tuesday' },
  { text: 'can’t believe that last minute goal ⚽️ I screamed' },
];
const tweetNext = seededRandom(31);
const tweetObjects: unknown[] = [];
let tweetTime = Date.UTC(2023, 1, 6, 14, 3, 11);
let tweetId = 1623000000000000000n;
const createdAt = (time: number) => {
  const date = new Date(time);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000 ${date.getUTCFullYear()}`;
};
const tweet = (text: string, extra: Record<string, unknown> = {}) => {
  tweetId += BigInt(1 + Math.floor(tweetNext() * 1e9));
  const id = String(tweetId);
  tweetObjects.push({
    tweet: {
      retweeted: false,
      source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
      entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
      display_text_range: ['0', String([...text].length)],
      favorite_count: String(Math.floor(tweetNext() * 40)),
      id_str: id,
      truncated: false,
      retweet_count: '0',
      id,
      created_at: createdAt(tweetTime),
      favorited: false,
      full_text: text,
      lang: 'en',
      ...extra,
    },
  });
  tweetTime += Math.floor((2 + tweetNext() * 20) * 86_400_000);
  return id;
};
for (const { text, kind } of TWEETS) {
  if (kind === 'retweet') {
    tweet(text, {
      entities: {
        hashtags: [],
        symbols: [],
        urls: [],
        user_mentions: [
          {
            name: 'Ridge Trails',
            screen_name: 'ridgetrails',
            indices: ['3', '15'],
            id_str: '4412345678',
            id: '4412345678',
          },
        ],
      },
    });
  } else if (kind === 'thread') {
    const threadStart = tweetTime;
    let parent = tweet(`${text} 1/3`);
    const after = tweetTime;
    for (const [index, part] of [
      'the first month my forearms were on fire. the second month, less fire',
      'the trick nobody tells you: climb with your legs, not your arms. also chalk. so much chalk',
    ].entries()) {
      // The thread goes on a few minutes later.
      tweetTime = threadStart + 240_000 * (index + 1);
      parent = tweet(`${part} ${index + 2}/3`, {
        in_reply_to_status_id: parent,
        in_reply_to_status_id_str: parent,
        in_reply_to_user_id: '1598765432101234567',
        in_reply_to_user_id_str: '1598765432101234567',
        in_reply_to_screen_name: 'samrivera_',
      });
    }
    tweetTime = after;
  } else if (kind === 'link') {
    const at = [...text].length - 23;
    tweet(text, {
      entities: {
        hashtags: [],
        symbols: [],
        user_mentions: [],
        urls: [
          {
            url: 'https://t.co/Ab3dE5fGh1',
            expanded_url: 'https://citytransit.example/news/2023/bus-network-redesign',
            display_url: 'citytransit.example/news/2023/bus…',
            indices: [String(at), String(at + 23)],
          },
        ],
      },
    });
  } else if (kind === 'photo') {
    const start = [...text].length + 1;
    const media = {
      expanded_url: 'https://twitter.com/samrivera_/status/0/photo/1',
      indices: [String(start), String(start + 23)],
      url: 'https://t.co/Zx9yW8vU7t',
      media_url: 'http://pbs.twimg.com/media/FqCabinView1.jpg',
      media_url_https: 'https://pbs.twimg.com/media/FqCabinView1.jpg',
      id_str: '1631000000000000001',
      id: '1631000000000000001',
      type: 'photo',
      display_url: 'pic.twitter.com/Zx9yW8vU7t',
    };
    tweet(`${text} https://t.co/Zx9yW8vU7t`, {
      display_text_range: ['0', String([...text].length)],
      entities: { hashtags: [], symbols: [], user_mentions: [], urls: [], media: [media] },
      extended_entities: { media: [media] },
    });
  } else {
    tweet(text);
  }
}
const ytd = (name: string, value: unknown) =>
  `window.YTD.${name}.part0 = ${JSON.stringify(value, null, 2).replace(/": /g, '" : ')}`;
const twitterDate = new Date(Date.UTC(2024, 5, 1));
const dmTime = (offset: number) => new Date(Date.UTC(2023, 8, 14, 19, 2, 0) + offset).toISOString();
const twitterZip = createZip([
  {
    name: 'data/manifest.js',
    data: `window.__THAR_CONFIG = ${JSON.stringify(
      {
        userInfo: {
          accountId: '1598765432101234567',
          userName: 'samrivera_',
          displayName: 'Sam Rivera',
        },
        archiveInfo: {
          sizeBytes: '48213',
          generationDate: '2024-06-01T09:12:44.000Z',
          isPartialArchive: false,
        },
        dataTypes: {
          account: {
            files: [{ fileName: 'data/account.js', globalName: 'YTD.account.part0', count: '1' }],
          },
          tweets: {
            files: [
              {
                fileName: 'data/tweets.js',
                globalName: 'YTD.tweets.part0',
                count: String(tweetObjects.length),
              },
            ],
          },
          directMessages: {
            files: [
              {
                fileName: 'data/direct-messages.js',
                globalName: 'YTD.direct_messages.part0',
                count: '1',
              },
            ],
          },
        },
      },
      null,
      2,
    )}`,
    date: twitterDate,
  },
  {
    name: 'data/account.js',
    data: ytd('account', [
      {
        account: {
          email: 'sam.rivera@example.com',
          createdVia: 'web',
          username: 'samrivera_',
          accountId: '1598765432101234567',
          createdAt: '2022-12-02T10:21:07.000Z',
          accountDisplayName: 'Sam Rivera',
        },
      },
    ]),
    date: twitterDate,
  },
  { name: 'data/tweets.js', data: ytd('tweets', tweetObjects), date: twitterDate },
  {
    name: 'data/direct-messages.js',
    data: ytd('direct_messages', [
      {
        dmConversation: {
          conversationId: '1598765432101234567-1432109876543210987',
          messages: [
            [
              '1432109876543210987',
              'saw your thread about climbing, you should come to our gym',
              0,
            ],
            ['1598765432101234567', 'omg yes, which one?', 240_000],
            ['1598765432101234567', 'I’m free most evenings', 300_000],
            ['1432109876543210987', 'the one on 5th. thursdays are beginner night', 900_000],
            ['1598765432101234567', 'see you thursday then 🙌', 960_000],
          ]
            .reverse()
            .map(([sender, text, offset], index) => ({
              messageCreate: {
                recipientId:
                  sender === '1598765432101234567' ? '1432109876543210987' : '1598765432101234567',
                reactions: [],
                urls: [],
                text,
                mediaUrls: [],
                senderId: sender,
                id: String(1702345678901234500n + BigInt(10 - index)),
                createdAt: dmTime(offset as number),
              },
            })),
        },
      },
    ]),
    date: twitterDate,
  },
]);
await rm(join(root, 'twitter'), { recursive: true, force: true });
await mkdir(join(root, 'twitter'), { recursive: true });
await writeFile(join(root, 'twitter', 'twitter-2024-06-01-samrivera_.zip'), twitterZip);

// iMessage: Sam's Mac Messages database (chat.db, recent macOS tables), a direct chat with Jordan
// whose newer messages carry their text only in attributedBody, with tapbacks and a photo.
const IMESSAGE_SCENES: Beat[][] = [
  [
    ['Jordan', 'did you book the cabin for march?'],
    ['me', 'booked!! 3 nights'],
    ['me', 'bring the long game, I’m ready this time'],
    ['Jordan', 'you said that last year 😂'],
  ],
  [
    ['me', 'biscuit update pls'],
    ['Jordan', 'media'],
    ['Jordan', 'he stole my seat again'],
    ['me', 'he’s the landlord now'],
  ],
  [
    ['Jordan', 'coffee tomorrow before work?'],
    ['me', 'yes. 8:15 at the corner place'],
    ['Jordan', 'deal'],
  ],
  [
    ['me', 'I just ran 10k without stopping'],
    ['me', 'who even am I'],
    ['Jordan', 'an athlete apparently 🏃'],
  ],
];
const imessageLines = scheduleScenes(
  IMESSAGE_SCENES,
  { me: 'Sam Rivera', Jordan: 'Jordan' },
  new Date(Date.UTC(2023, 9, 2)),
  240,
  37,
  false,
);
await rm(join(root, 'imessage'), { recursive: true, force: true });
await mkdir(join(root, 'imessage'), { recursive: true });
const chatDbPath = join(root, 'imessage', 'chat.db');
const chatDb = new ChatDbBuilder(chatDbPath, 'recent');
const jordanHandle = chatDb.handle('+15550134567');
const jordanChat = chatDb.chat({
  guid: 'iMessage;-;+15550134567',
  style: 45,
  chatIdentifier: '+15550134567',
  handles: [jordanHandle],
});
const imessageNext = seededRandom(41);
chatDb.db.transaction(() => {
  for (const [index, line] of imessageLines.entries()) {
    const fromMe = line.author === 'Sam Rivera';
    // Real instants: the scenes' wall-clock times shifted by five hours.
    const date = appleNanos(new Date(line.time.getTime() + 5 * 3_600_000).toISOString());
    const guid = `SAMPLE-${String(index).padStart(4, '0')}`;
    const base = { guid, handle_id: jordanHandle, is_from_me: fromMe ? 1 : 0, date };
    if (line.body === '<Media omitted>') {
      chatDb.message(jordanChat, { ...base, text: '\uFFFC' }, [
        {
          filename: `~/Library/Messages/Attachments/0${index % 10}/${index}/IMG_${4000 + index}.HEIC`,
          mimeType: 'image/heic',
          transferName: `IMG_${4000 + index}.HEIC`,
        },
      ]);
      continue;
    }
    // Since macOS Ventura the text often sits only in attributedBody.
    const recent = index > imessageLines.length / 2;
    chatDb.message(
      jordanChat,
      recent
        ? { ...base, text: null, attributedBody: encodeAttributedBody(line.body) }
        : { ...base, text: line.body },
    );
    if (!fromMe && imessageNext() < 0.25) {
      chatDb.message(jordanChat, {
        guid: `${guid}-TAPBACK`,
        text: `Loved “${line.body}”`,
        handle_id: jordanHandle,
        is_from_me: 1,
        date: date + 30_000_000_000n,
        associated_message_guid: `p:0/${guid}`,
        associated_message_type: 2000,
      });
    }
  }
})();
chatDb.db.pragma('journal_mode = DELETE');
chatDb.db.exec('VACUUM');
chatDb.close();
// The Mac's contacts, exported as a vCard, put a name on Jordan's number (`--contacts`).
await writeFile(
  join(root, 'imessage', 'contacts.vcf'),
  'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Jordan;;;\r\nFN:Jordan Lee\r\nTEL;type=CELL:+1 (555) 013-4567\r\nEND:VCARD\r\n',
);

// Telegram: one chat exported from Telegram Desktop (result.json) and a Discord DM exported by
// DiscordChatExporter, both from the same kind of scenes.
const CHAT_APP_SCENES: Beat[][] = [
  [
    ['Leo', 'did you push the fix?'],
    ['me', 'pushing now'],
    ['me', 'ok done, CI is green 🟢'],
    ['Leo', 'legend'],
  ],
  [
    ['me', 'game night saturday?'],
    ['Leo', 'only if we don’t play the 4 hour one'],
    ['me', 'no promises'],
  ],
  [
    ['Leo', 'media'],
    ['Leo', 'my setup finally'],
    ['me', 'that monitor arm is beautiful'],
    ['me', 'send link'],
  ],
];
const telegramLines = scheduleScenes(
  CHAT_APP_SCENES,
  { me: 'Sam Rivera', Leo: 'Leo Park' },
  new Date(Date.UTC(2024, 0, 8)),
  120,
  43,
  false,
);
const unix = (time: Date) => Math.floor(time.getTime() / 1000) + 5 * 3600;
await rm(join(root, 'telegram'), { recursive: true, force: true });
await mkdir(join(root, 'telegram'), { recursive: true });
await writeFile(
  join(root, 'telegram', 'result.json'),
  `${JSON.stringify(
    {
      name: 'Leo Park',
      type: 'personal_chat',
      id: 5550198,
      messages: telegramLines.map((line, index) => {
        const fromMe = line.author === 'Sam Rivera';
        const time = unix(line.time);
        const base = {
          id: 1000 + index,
          type: 'message',
          date: new Date(time * 1000).toISOString().slice(0, 19),
          date_unixtime: String(time),
          from: line.author,
          from_id: fromMe ? 'user5550111' : 'user5550198',
        };
        if (line.body === '<Media omitted>')
          return {
            ...base,
            photo: `photos/photo_${index}@08-01-2024_10-00-00.jpg`,
            width: 1280,
            height: 960,
            text: '',
            text_entities: [],
          };
        return { ...base, text: line.body, text_entities: [{ type: 'plain', text: line.body }] };
      }),
    },
    null,
    1,
  )}\n`,
);

const discordLines = scheduleScenes(
  CHAT_APP_SCENES,
  { me: 'Sam Rivera', Leo: 'Leo Park' },
  new Date(Date.UTC(2024, 5, 3)),
  90,
  47,
  false,
);
const discordAuthor = (me: boolean) => ({
  id: me ? '712345678901234567' : '798765432109876543',
  name: me ? 'samrivera' : 'leopark',
  discriminator: '0000',
  nickname: me ? 'Sam Rivera' : 'Leo Park',
  color: null,
  isBot: false,
  roles: [],
  avatarUrl: 'https://cdn.discordapp.com/embed/avatars/0.png',
});
await rm(join(root, 'discord'), { recursive: true, force: true });
await mkdir(join(root, 'discord'), { recursive: true });
await writeFile(
  join(root, 'discord', 'Direct Messages - leopark [1181234567890123456].json'),
  `${JSON.stringify(
    {
      guild: {
        id: '0',
        name: 'Direct Messages',
        iconUrl: 'https://cdn.discordapp.com/embed/avatars/0.png',
      },
      channel: {
        id: '1181234567890123456',
        type: 'DirectTextChat',
        categoryId: '0',
        category: 'Private',
        name: 'leopark',
        topic: null,
      },
      dateRange: { after: null, before: null },
      exportedAt: '2024-09-01T12:00:00.000+00:00',
      messages: discordLines.map((line, index) => {
        const fromMe = line.author === 'Sam Rivera';
        const media = line.body === '<Media omitted>';
        return {
          id: String(1250000000000000000n + BigInt(index) * 1000n),
          type: 'Default',
          timestamp: new Date(unix(line.time) * 1000).toISOString().replace('Z', '+00:00'),
          timestampEdited: null,
          callEndedTimestamp: null,
          isPinned: false,
          content: media ? '' : line.body,
          author: discordAuthor(fromMe),
          attachments: media
            ? [
                {
                  id: String(1260000000000000000n + BigInt(index)),
                  url: `https://cdn.discordapp.com/attachments/1181234567890123456/${index}/setup.jpg`,
                  fileName: 'setup.jpg',
                  fileSizeBytes: 184320,
                },
              ]
            : [],
          embeds: [],
          stickers: [],
          reactions: [],
          mentions: [],
        };
      }),
      messageCount: discordLines.length,
    },
    null,
    2,
  )}\n`,
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
| messenger/facebook-samrivera-2024-05-02.zip | Facebook "Download your information" zip (JSON, 2025 layout): a direct thread over two pages, with photos and reactions, text escaped the way Facebook escapes it |
| imessage/chat.db | macOS Messages database (recent macOS tables): a direct chat, newer texts only in \`attributedBody\`, tapbacks, photos |
| imessage/contacts.vcf | a contacts export (vCard) that names the number in \`chat.db\` (\`--contacts\`) |
| telegram/result.json | Telegram Desktop export of one chat (JSON) |
| discord/Direct Messages - leopark [1181234567890123456].json | DiscordChatExporter export of a direct-message channel (JSON) |
| twitter/twitter-2024-06-01-samrivera_.zip | Twitter/X archive: tweets (a self-thread, a retweet, a link, a photo), one direct-message conversation |

WhatsApp times are wall-clock times on Sam's phone in America/New_York; the other exports carry real instants.
`,
);
console.error(
  `wrote ${direct.length + 1} + ${group.length + 3} lines of WhatsApp, ${messengerMessages.length} Messenger messages, ${imessageLines.length} iMessages, ${telegramLines.length} Telegram and ${discordLines.length} Discord messages and ${tweetObjects.length} tweets to ${root}`,
);
