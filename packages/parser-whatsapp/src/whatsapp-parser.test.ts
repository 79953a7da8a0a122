import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  collectParse,
  createConversationJsonlParser,
  createParserRegistry,
  openInput,
  ParseError,
  UnsupportedFormatError,
  type Conversation,
  type ParseOptions,
} from '@alterego/core';
import { createZip, describeParserConformance } from '@alterego/core/test';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ANDROID_DIRECT_ES,
  ANDROID_DIRECT_US,
  ANDROID_GROUP_DE,
  DASHES_MONTH_FIRST,
  FINNISH,
  IOS_GROUP_2024,
  YEAR_FIRST_ZH,
  iosZip,
  writeChats,
} from './__fixtures__/chats.js';
import { chatNameFromFileName, createWhatsAppParser, whatsapp } from './whatsapp-parser.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function chats(files: Record<string, string | Uint8Array>): string {
  const dir = writeChats(files);
  dirs.push(dir);
  return dir;
}

async function parse(path: string, options: ParseOptions = {}, parser = whatsapp) {
  const input = await openInput(path);
  try {
    return await collectParse(parser.parse(input, { timeZone: 'UTC', ...options }));
  } finally {
    await input.close();
  }
}

async function parseOne(name: string, content: string | Uint8Array, options: ParseOptions = {}) {
  const dir = chats({ [name]: content });
  const { conversations, warnings } = await parse(join(dir, name), options);
  expect(conversations).toHaveLength(1);
  return { conversation: conversations[0]!, warnings };
}

function byText(conversation: Conversation, text: string) {
  const found = conversation.messages.find((message) => message.text === text);
  if (!found) throw new Error(`no message with text ${JSON.stringify(text)}`);
  return found;
}

const corpus = fileURLToPath(
  new URL('../../../../shared/corpus/chat-analytics/whatsapp/', import.meta.url),
);

describeParserConformance({
  parser: whatsapp,
  fixtures: [
    {
      name: 'iOS group zip (2024 attributed system lines, media)',
      input: () =>
        join(
          chats({ 'WhatsApp Chat - Weekend Crew.zip': iosZip(IOS_GROUP_2024) }),
          'WhatsApp Chat - Weekend Crew.zip',
        ),
      options: { me: ['Sam Rivera'], timeZone: 'Europe/London' },
    },
    {
      name: 'Android US direct chat',
      input: () =>
        join(
          chats({ 'WhatsApp Chat with Alex Chen.txt': ANDROID_DIRECT_US }),
          'WhatsApp Chat with Alex Chen.txt',
        ),
      options: { me: ['Sam Rivera'], timeZone: 'America/New_York' },
    },
    {
      name: 'Android German group',
      input: () => chats({ 'WhatsApp Chat mit WG Küche.txt': ANDROID_GROUP_DE }),
      options: { me: ['Sam'], timeZone: 'Europe/Berlin' },
    },
    {
      name: 'Spanish with p. m. and a BOM',
      input: () => chats({ 'Chat de WhatsApp con Michelle.txt': ANDROID_DIRECT_ES }),
      options: { me: ['Sam Rivera'], timeZone: 'America/Mexico_City' },
    },
    {
      name: 'Finnish with lone CR line ends',
      input: () => chats({ 'chat.txt': FINNISH }),
      options: { me: ['Sam'], timeZone: 'Europe/Helsinki' },
    },
    {
      name: 'year first, Chinese meridiem',
      input: () => chats({ 'chat.txt': YEAR_FIRST_ZH }),
      options: { me: ['Sam'], timeZone: 'Asia/Shanghai' },
    },
    {
      name: 'dashes, month first',
      input: () => chats({ 'chat.txt': DASHES_MONTH_FIRST }),
      options: { me: ['Alice'] },
    },
    ...['2A_5M.txt', '4A_11M.txt', '4A_11M.zip']
      .filter((name) => existsSync(join(corpus, name)))
      .map((name) => ({
        name: `corpus ${name}`,
        input: join(corpus, name),
        options: { me: ['A', 'Alice'] },
        // The corpus chats are too short to tell day/month order.
        allowWarnings: true,
      })),
  ],
});

describe('iOS export zip', () => {
  it('reads _chat.txt without extracting, with the group and its people', async () => {
    const { conversation, warnings } = await parseOne(
      'WhatsApp Chat - Weekend Crew.zip',
      iosZip(IOS_GROUP_2024),
      {
        me: ['Sam Rivera'],
        timeZone: 'Europe/London',
      },
    );
    expect(warnings).toEqual([]);
    expect(conversation.kind).toBe('group');
    // The latest group name wins over the file name.
    expect(conversation.title).toBe('Weekend Crew 🏔');
    expect(conversation.source).toEqual({ format: 'whatsapp', file: '_chat.txt' });
    expect(conversation.participants).toEqual([
      { id: 'Priya Nair', name: 'Priya Nair', self: false },
      { id: 'Sam Rivera', name: 'Sam Rivera', self: true },
      { id: 'Jordan', name: 'Jordan', self: false },
      {
        id: '+1 (555) 010-7788',
        name: '+1 (555) 010-7788',
        handles: ['+15550107788'],
        self: false,
      },
    ]);
  });

  it('types system lines attributed to the group or a person as system', async () => {
    const { conversation } = await parseOne(
      'WhatsApp Chat - Weekend Crew.zip',
      iosZip(IOS_GROUP_2024),
    );
    const system = conversation.messages.filter((message) => message.type === 'system');
    expect(system.map((message) => message.text)).toEqual([
      'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
      'Priya Nair created group “Weekend Crew”',
      'Priya Nair added you',
      'Priya Nair changed the group name to “Weekend Crew 🏔”',
    ]);
    expect(system.every((message) => message.senderId === null)).toBe(true);
    // The group itself never becomes a participant.
    expect(conversation.participants.map((person) => person.name)).not.toContain('Weekend Crew');
    // An event sentence a person typed stays text.
    expect(byText(conversation, 'I added the photos to the album').type).toBe('text');
  });

  it('reads 12-hour times with U+202F in the zone given', async () => {
    const { conversation } = await parseOne(
      'WhatsApp Chat - Weekend Crew.zip',
      iosZip(IOS_GROUP_2024),
      { timeZone: 'Europe/London' },
    );
    expect(conversation.messages[0]!.time).toBe('2024-03-09T23:58:01.000Z');
    expect(byText(conversation, 'me!!').time).toBe('2024-03-10T00:01:12.000Z');
    const ny = await parseOne('WhatsApp Chat - Weekend Crew.zip', iosZip(IOS_GROUP_2024), {
      timeZone: 'America/New_York',
    });
    expect(byText(ny.conversation, 'me!!').time).toBe('2024-03-10T05:01:12.000Z');
  });

  it('keeps multi-line messages whole, with a pasted chat line inside', async () => {
    const { conversation } = await parseOne(
      'WhatsApp Chat - Weekend Crew.zip',
      iosZip(IOS_GROUP_2024),
    );
    const plan = conversation.messages.find((message) =>
      message.text.startsWith('ok so the plan:'),
    )!;
    expect(plan.text).toBe(
      'ok so the plan:\n1. meet at 9\n2. bring water\n\n[3/10/24, 12:00:00 AM] this line was pasted from another chat',
    );
    expect(plan.senderId).toBe('Jordan');
  });

  it('types media, stickers, documents, contacts, locations, calls, polls, deletions and edits', async () => {
    const { conversation } = await parseOne(
      'WhatsApp Chat - Weekend Crew.zip',
      iosZip(IOS_GROUP_2024),
    );
    const nonText = conversation.messages
      .filter((message) => message.type !== 'text' && message.type !== 'system')
      .map(({ type, text, attachments, senderId }) => ({ type, text, attachments, senderId }));
    expect(nonText).toEqual([
      { type: 'media', text: '', attachments: [{ type: 'image' }], senderId: 'Jordan' },
      {
        type: 'media',
        text: '',
        attachments: [
          {
            type: 'image',
            name: '00000008-PHOTO-2024-03-10-00-03-00.jpg',
            uri: '00000008-PHOTO-2024-03-10-00-03-00.jpg',
          },
        ],
        senderId: 'Sam Rivera',
      },
      { type: 'deleted', text: '', attachments: undefined, senderId: 'Priya Nair' },
      { type: 'deleted', text: '', attachments: undefined, senderId: 'Sam Rivera' },
      {
        type: 'sticker',
        text: '',
        attachments: [{ type: 'sticker' }],
        senderId: '+1 (555) 010-7788',
      },
      {
        type: 'media',
        text: '',
        attachments: [
          { type: 'file', name: '00000014-Trail map.pdf', uri: '00000014-Trail map.pdf' },
        ],
        senderId: '+1 (555) 010-7788',
      },
      {
        type: 'location',
        text: '',
        attachments: [{ type: 'location', uri: 'https://maps.google.com/?q=46.0207,7.7491' }],
        senderId: 'Priya Nair',
      },
      { type: 'contact', text: '', attachments: [{ type: 'contact' }], senderId: 'Sam Rivera' },
      { type: 'call', text: '', attachments: undefined, senderId: 'Priya Nair' },
      { type: 'poll', text: 'Which trail?', attachments: undefined, senderId: 'Sam Rivera' },
      { type: 'media', text: '', attachments: [{ type: 'gif' }], senderId: 'Priya Nair' },
    ]);
    const edited = byText(conversation, 'see you there');
    expect(edited).toMatchObject({ type: 'text', edited: true });
  });
});

describe('Android exports', () => {
  it('reads a US direct chat: month first, captions, documents, voice notes, out-of-order lines', async () => {
    const { conversation, warnings } = await parseOne(
      'WhatsApp Chat with Alex Chen.txt',
      ANDROID_DIRECT_US,
      {
        me: ['sam rivera'],
        timeZone: 'America/New_York',
      },
    );
    expect(warnings).toEqual([]);
    expect(conversation.kind).toBe('direct');
    expect(conversation.title).toBe('Alex Chen');
    expect(conversation.participants).toEqual([
      { id: 'Alex Chen', name: 'Alex Chen', self: false },
      { id: 'Sam Rivera', name: 'Sam Rivera', self: true },
    ]);
    const texts = conversation.messages.map((message) => [message.type, message.text]);
    expect(texts.slice(0, 6)).toEqual([
      [
        'system',
        'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
      ],
      ['text', 'hey! are we still on for friday'],
      ['text', '(sent from the train, sorry)'],
      ['text', 'yes!!\nwait which place again'],
      ['media', ''],
      ['text', 'that one'],
    ]);
    expect(conversation.messages[0]!.time).toBe('2023-01-05T00:02:00.000Z');
    const photo = byText(conversation, 'the view from the office');
    expect(photo).toMatchObject({
      type: 'media',
      attachments: [{ type: 'image', name: 'IMG-20230113-WA0003.jpg' }],
    });
    const menu = conversation.messages.find(
      (message) => message.attachments?.[0]?.name === 'menu.pdf',
    )!;
    expect(menu).toMatchObject({
      type: 'media',
      text: '',
      attachments: [{ type: 'file', name: 'menu.pdf', uri: 'menu.pdf' }],
    });
    const voice = conversation.messages.find((message) =>
      message.attachments?.[0]?.name?.startsWith('PTT-'),
    )!;
    expect(voice.attachments).toEqual([
      { type: 'audio', name: 'PTT-20230113-WA0005.opus', uri: 'PTT-20230113-WA0005.opus' },
    ]);
    expect(
      conversation.messages.find((message) => message.type === 'location')!.attachments,
    ).toEqual([{ type: 'location', uri: 'https://maps.google.com/?q=40.7411,-73.9897' }]);
    expect(byText(conversation, 'lunch at 12:30 PM - ok?').type).toBe('text');
    expect(conversation.messages.filter((message) => message.type === 'deleted')).toHaveLength(1);
  });

  it('converts wall-clock times across a DST change in the zone given', async () => {
    const { conversation } = await parseOne('chat.txt', ANDROID_DIRECT_US, {
      timeZone: 'America/New_York',
    });
    expect(byText(conversation, 'last one of february').time).toBe('2023-03-01T04:59:00.000Z');
    expect(byText(conversation, 'before the clocks change').time).toBe('2023-03-12T06:30:00.000Z');
    expect(byText(conversation, 'after the clocks change').time).toBe('2023-03-12T07:30:00.000Z');
  });

  it('reads a German group: dots, 24-hour, authorless events, localised markers', async () => {
    const { conversation } = await parseOne('WhatsApp Chat mit WG Küche.txt', ANDROID_GROUP_DE, {
      me: ['Sam'],
      timeZone: 'Europe/Berlin',
    });
    expect(conversation.kind).toBe('group');
    expect(conversation.title).toBe('WG Küche');
    expect(conversation.messages.map((message) => message.type)).toEqual([
      'system',
      'system',
      'system',
      'text',
      'text',
      'media',
      'deleted',
      'text',
      'text',
      'system',
    ]);
    expect(byText(conversation, 'super')).toMatchObject({ edited: true, senderId: 'Lena' });
    // 15 August is after the 12th: the first number is the day.
    expect(byText(conversation, 'neuer Putzplan kommt').time).toBe('2021-08-15T16:46:00.000Z');
  });

  it('reads Spanish "p. m." with a no-break space, four-digit years and a BOM', async () => {
    const { conversation } = await parseOne(
      'Chat de WhatsApp con Michelle.txt',
      ANDROID_DIRECT_ES,
      { me: ['Sam Rivera'] },
    );
    expect(conversation.title).toBe('Michelle');
    expect(
      conversation.messages.map((message) => [message.time, message.type, message.text]),
    ).toEqual([
      ['2017-06-20T20:28:00.000Z', 'text', 'hola!'],
      ['2017-06-20T20:29:00.000Z', 'text', 'qué tal?'],
      ['2017-06-21T09:02:00.000Z', 'media', ''],
      ['2017-06-21T09:03:00.000Z', 'deleted', ''],
      ['2017-06-21T09:04:00.000Z', 'text', 'genial 😄'],
    ]);
  });
});

describe('other locales and shapes', () => {
  it('reads Finnish times with dots and "klo", split on lone carriage returns', async () => {
    const { conversation } = await parseOne('chat.txt', FINNISH, { me: ['Sam'] });
    expect(conversation.messages.map((message) => [message.time, message.text])).toEqual([
      ['2018-06-13T21:25:15.000Z', 'moi'],
      ['2018-06-14T08:05:00.000Z', 'huomenta\ntoinen rivi'],
    ]);
  });

  it('reads year-first dates and a meridiem before the time', async () => {
    const { conversation } = await parseOne('chat.txt', YEAR_FIRST_ZH, {
      timeZone: 'Asia/Shanghai',
    });
    expect(conversation.messages.map((message) => message.time)).toEqual([
      '2024-10-31T07:50:46.000Z',
      '2024-10-31T07:51:02.000Z',
      '2024-11-01T01:00:00.000Z',
    ]);
  });

  it('reads dashes month first, names with colons, and colons in the text', async () => {
    const { conversation } = await parseOne('chat.txt', DASHES_MONTH_FIRST);
    expect(
      conversation.messages.map((message) => [message.time, message.senderId, message.text]),
    ).toEqual([
      ['2018-01-29T23:33:00.000Z', 'Alice', 'Hello?'],
      ['2018-01-30T08:00:00.000Z', 'Re:Zero Fan 🎌', 'morning'],
      ['2018-02-02T10:00:00.000Z', 'Alice', 'time: 10:00, place: cafe'],
    ]);
  });
});

describe('day/month order', () => {
  const ambiguous = ['01/02/2023, 10:00 - Ana: one', '01/02/2023, 10:05 - Sam: two'].join('\n');

  it('is reported as an assumption (nothing skipped) when the chat cannot tell', async () => {
    const { conversation, warnings } = await parseOne('chat.txt', ambiguous, { me: ['Sam'] });
    expect(conversation.messages[0]!.time).toBe('2023-02-01T10:00:00.000Z');
    expect(warnings).toEqual([
      expect.objectContaining({
        ruleId: 'whatsapp:day-order-assumed',
        skipped: false,
        file: expect.stringMatching(/chat\.txt$/),
      }),
    ]);
  });

  it('follows the dayFirst option', async () => {
    const dir = chats({ 'chat.txt': ambiguous });
    const monthFirst = await parse(
      join(dir, 'chat.txt'),
      { me: ['Sam'] },
      createWhatsAppParser({ dayFirst: false }),
    );
    expect(monthFirst.conversations[0]!.messages[0]!.time).toBe('2023-01-02T10:00:00.000Z');
    expect(monthFirst.warnings).toEqual([]);
  });

  it('is decided by the whole file, not line by line', async () => {
    // Only the last line shows that the first number is the day.
    const lines = [
      '02/01/2023, 10:00 - Ana: a',
      '05/01/2023, 10:00 - Ana: b',
      '25/01/2023, 10:00 - Sam: c',
    ];
    const { conversation } = await parseOne('chat.txt', lines.join('\n'), { me: ['Sam'] });
    expect(conversation.messages.map((message) => message.time.slice(0, 10))).toEqual([
      '2023-01-02',
      '2023-01-05',
      '2023-01-25',
    ]);
  });
});

describe('identity', () => {
  it('marks the --me participant, and warns (skipping nothing) when none matches', async () => {
    const { conversation, warnings } = await parseOne('chat.txt', ANDROID_DIRECT_US, {
      me: ['Someone Else'],
    });
    expect(conversation.participants.every((person) => !person.self)).toBe(true);
    expect(warnings).toEqual([
      expect.objectContaining({ ruleId: 'whatsapp:no-self', skipped: false }),
    ]);
  });

  it('matches unsaved contacts by their phone number', async () => {
    const { conversation } = await parseOne('chat.zip', iosZip(IOS_GROUP_2024), {
      me: ['+15550107788'],
    });
    expect(conversation.participants.find((person) => person.self)?.name).toBe('+1 (555) 010-7788');
  });
});

describe('inputs', () => {
  it('reads every chat in a folder, .txt and .zip, one conversation each, with stable ids', async () => {
    const dir = chats({
      'WhatsApp Chat with Alex Chen.txt': ANDROID_DIRECT_US,
      'WhatsApp Chat - Weekend Crew.zip': iosZip(IOS_GROUP_2024),
      'IMG-20230113-WA0003.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      'notes.md': '# not a chat',
    });
    const first = await parse(dir, { me: ['Sam Rivera'] });
    const second = await parse(dir, { me: ['Sam Rivera'] });
    expect(first.conversations.map((conversation) => conversation.title).sort()).toEqual([
      'Alex Chen',
      'Weekend Crew 🏔',
    ]);
    expect(first.conversations.map((conversation) => conversation.id)).toEqual(
      second.conversations.map((conversation) => conversation.id),
    );
    expect(new Set(first.conversations.map((conversation) => conversation.id)).size).toBe(2);
  });

  it('gives the same conversation id to the same chat as .txt and inside a zip', async () => {
    const dir = chats({
      'WhatsApp Chat - Crew.txt': IOS_GROUP_2024,
      'WhatsApp Chat - Crew.zip': iosZip(IOS_GROUP_2024),
    });
    const { conversations } = await parse(dir);
    expect(conversations).toHaveLength(2);
    expect(conversations[0]!.id).toBe(conversations[1]!.id);
  });

  it('warns about text before the first message and keeps the rest', async () => {
    const { conversation, warnings } = await parseOne(
      'chat.txt',
      `exported by a backup tool\n${ANDROID_DIRECT_US}`,
      {
        me: ['Sam Rivera'],
      },
    );
    expect(conversation.messages.length).toBeGreaterThan(10);
    expect(warnings).toEqual([
      expect.objectContaining({ ruleId: 'whatsapp:text-before-first-message', line: 1 }),
    ]);
    // Text was skipped, so the warning counts as a skip (commands exit "partial").
    expect(warnings[0]!.skipped).not.toBe(false);
  });

  it('stops early when the signal is aborted', async () => {
    const dir = chats({ 'a.txt': ANDROID_DIRECT_US, 'b.txt': ANDROID_GROUP_DE });
    const controller = new AbortController();
    controller.abort();
    const { conversations } = await parse(dir, { signal: controller.signal });
    expect(conversations).toEqual([]);
  });
});

describe('bad input', () => {
  const registry = createParserRegistry([whatsapp, createConversationJsonlParser()]);
  const cases: [string, string, string | Uint8Array][] = [
    ['a text file that is not a chat', 'notes.txt', 'Dear diary,\ntoday I wrote no chat at all.\n'],
    [
      'binary garbage',
      'garbage.txt',
      new Uint8Array(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256)),
    ],
    ['an empty file', 'empty.txt', ''],
    [
      'a zip with no chat inside',
      'photos.zip',
      createZip({ 'IMG-1.jpg': new Uint8Array([0xff, 0xd8]), 'readme.txt': 'hello' }),
    ],
  ];
  for (const [label, name, content] of cases) {
    it(`rejects ${label} with one clear error naming the file`, async () => {
      const path = join(chats({ [name]: content }), name);
      const input = await openInput(path);
      try {
        expect(await whatsapp.detect(input)).toBeUndefined();
        const error = await registry.match(input).catch((caught: unknown) => caught);
        expect(UnsupportedFormatError.isInstance(error)).toBe(true);
        expect(String((error as Error).message)).toContain(name);
        expect(String((error as Error).message)).toContain('WhatsApp "Export chat" (.txt or .zip)');
        expect(String((error as Error).message)).not.toContain('\n');
        const parsed = await collectParse(whatsapp.parse(input)).catch((caught: unknown) => caught);
        expect(ParseError.isInstance(parsed)).toBe(true);
        expect((parsed as ParseError).file).toBe(path);
        expect((parsed as ParseError).message).toMatch(
          /no WhatsApp chat found; expected a WhatsApp "Export chat" file/,
        );
      } finally {
        await input.close();
      }
    });
  }

  it('rejects an unknown time zone before reading', async () => {
    const path = join(chats({ 'chat.txt': ANDROID_DIRECT_US }), 'chat.txt');
    await expect(parse(path, { timeZone: 'Mars/Olympus' })).rejects.toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
  });
});

describe('chatNameFromFileName', () => {
  it.each([
    ['WhatsApp Chat with Alex Chen.txt', 'Alex Chen'],
    ['WhatsApp Chat - Weekend Crew.zip', 'Weekend Crew'],
    ['WhatsApp_Chat_with_Alex_Chen.txt', 'Alex Chen'],
    ['Chat de WhatsApp con Michelle.txt', 'Michelle'],
    ['WhatsApp Chat mit WG Küche.txt', 'WG Küche'],
    ['WhatsApp Chat with Alex Chen (2).txt', 'Alex Chen'],
    ['_chat.txt', undefined],
    ['notes.txt', undefined],
  ])('%s → %s', (fileName, expected) => {
    expect(chatNameFromFileName(fileName)).toBe(expected);
  });
});
