import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  collectParse,
  createParserRegistry,
  openInput,
  ParseError,
  type ParseOptions,
} from '@alterego/core';
import {
  conversationById,
  describeParserConformance,
  parsePath,
  useTempFolders,
} from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import {
  directThread,
  facebookJson,
  groupThread,
  mediaBytes,
  page,
  profile,
  TIMES,
  zipOf,
} from './__fixtures__/exports.js';
import { mergeConversations } from './merge.js';
import { createMessengerParser, messenger } from './messenger-parser.js';

const tree = useTempFolders('alterego-messenger-').write;

/** A zip of files, written into a temporary folder; returns the zip's path. */
function zip(name: string, files: Record<string, string | Uint8Array>): string {
  return join(tree({ [name]: zipOf(files) }), name);
}

function parse(path: string, options: ParseOptions = {}, parser = messenger) {
  return parsePath(parser, path, { timeZone: 'UTC', ...options });
}

const LANGUAGES = {
  en: {
    added: 'Priya added Jonas Weber to the group.',
    named: 'Priya named the group Crew.',
    reacted: 'Reacted 👍 to your message ',
    attachment: 'You sent an attachment.',
    unsent: 'Jonas unsent a message.',
    left: 'Jonas left the group.',
  },
  de: {
    added: 'Priya hat Jonas Weber zur Gruppe hinzugefügt.',
    named: 'Priya hat die Gruppe Crew genannt.',
    reacted: 'Hat mit 👍 auf deine Nachricht reagiert',
    attachment: 'Du hast einen Anhang gesendet.',
    unsent: 'Jonas hat eine Nachricht zurückgenommen.',
    left: 'Jonas hat die Gruppe verlassen.',
  },
  fr: {
    added: 'Priya a ajouté Jonas Weber au groupe.',
    named: 'Priya a nommé le groupe Crew.',
    reacted: 'A réagi 👍 à votre message ',
    attachment: 'Vous avez envoyé une pièce jointe.',
    unsent: 'Jonas a retiré un message.',
    left: 'Jonas a quitté le groupe.',
  },
  es: {
    added: 'Priya agregó a Jonas Weber al grupo.',
    named: 'Priya llamó al grupo Crew.',
    reacted: 'Reaccionó 👍 a tu mensaje ',
    attachment: 'Enviaste un archivo adjunto.',
    unsent: 'Jonas anuló el envío de un mensaje.',
    left: 'Jonas salió del grupo.',
  },
  pt: {
    added: 'Priya adicionou Jonas Weber ao grupo.',
    named: 'Priya deu o nome Crew ao grupo.',
    reacted: 'Reagiu com 👍 à sua mensagem ',
    attachment: 'Você enviou um anexo.',
    unsent: 'Jonas cancelou o envio de uma mensagem.',
    left: 'Jonas saiu do grupo.',
  },
  it: {
    added: 'Priya ha aggiunto Jonas Weber al gruppo.',
    named: 'Priya ha chiamato il gruppo Crew.',
    reacted: 'Ha reagito con 👍 al tuo messaggio',
    attachment: 'Hai inviato un allegato.',
    unsent: "Jonas ha annullato l'invio di un messaggio.",
    left: 'Jonas ha abbandonato il gruppo.',
  },
} as const;

/** A full download: profile, threads in several sections, a group, the E2EE files beside it. */
function fullExport(root: string): Record<string, string | Uint8Array> {
  const messages = `${root}/messages`;
  return {
    ...profile('Sam Rivera'),
    ...directThread(messages),
    ...groupThread(messages, 'crew_10158000000000002', LANGUAGES.en),
    [`${messages}/inbox/zoebrandt_10158000000000001/photos/1.jpg`]: mediaBytes(2048),
    [`${messages}/archived_threads/old_1/message_1.json`]: page({
      title: 'Old Friend',
      participants: ['Old Friend', 'Sam Rivera'],
      threadPath: 'archived_threads/old_1',
      messages: [{ sender_name: 'Old Friend', timestamp_ms: TIMES.T0 - 1e9, content: 'long time' }],
    }),
    [`${messages}/filtered_threads/spam_2/message_1.json`]: page({
      title: 'Stranger',
      participants: ['Stranger', 'Sam Rivera'],
      threadPath: 'filtered_threads/spam_2',
      messages: [{ sender_name: 'Stranger', timestamp_ms: TIMES.T0, content: 'hi' }],
    }),
    [`${messages}/message_requests/req_3/message_1.json`]: page({
      title: 'Requester',
      participants: ['Requester', 'Sam Rivera'],
      threadPath: 'message_requests/req_3',
      messages: [{ sender_name: 'Requester', timestamp_ms: TIMES.T0, content: 'hello?' }],
    }),
    [`${messages}/e2ee_cutover/zoebrandt_4/message_1.json`]: page({
      title: 'Zoë Brandt',
      participants: ['Zoë Brandt', 'Sam Rivera'],
      threadPath: 'e2ee_cutover/zoebrandt_4',
      messages: [
        { sender_name: 'Sam Rivera', timestamp_ms: TIMES.T0 - 2e9, content: 'before the switch' },
      ],
    }),
    [`${messages}/autofill_information.json`]: facebookJson({
      autofill_information_v2: { FULL_NAME: ['Sam Rivera'] },
    }),
  };
}

const E2EE_THREAD = JSON.stringify({
  participants: ['Sam Rivera', 'Zoë Brandt'],
  threadName: 'Zoë Brandt',
  messages: [
    {
      senderName: 'Zoë Brandt',
      text: 'Grüße aus Köln – naïve café ✓',
      timestamp: TIMES.T0,
      type: 'text',
      isUnsent: false,
      media: [],
      reactions: [{ actor: 'Sam Rivera', reaction: '❤️' }],
    },
    {
      senderName: 'Sam Rivera',
      text: '',
      timestamp: TIMES.T0 + 60_000,
      type: 'media',
      isUnsent: false,
      media: [{ uri: './media/abc.jpeg' }, { uri: 'Failed to download media' }],
      reactions: [],
    },
    {
      senderName: 'Sam Rivera',
      text: 'User unsent a message',
      timestamp: TIMES.T0 + 120_000,
      type: 'placeholder',
      isUnsent: true,
      media: [],
      reactions: [],
    },
  ],
});

const corpus = fileURLToPath(
  new URL('../../../../shared/corpus/messenger/msgvault/', import.meta.url),
);
const chatAnalytics = fileURLToPath(
  new URL('../../../../shared/corpus/chat-analytics/messenger/', import.meta.url),
);

describeParserConformance({
  parser: messenger,
  fixtures: [
    {
      name: 'zip, 2025 layout (your_facebook_activity/messages), every section, profile owner',
      input: () => zip('facebook-sam.zip', fullExport('your_facebook_activity')),
      options: { timeZone: 'UTC' },
    },
    {
      name: 'folder, 2024 layout (your_activity_across_facebook/messages)',
      input: () => tree(fullExport('your_activity_across_facebook')),
    },
    {
      name: 'folder, pre-2024 layout (messages/)',
      input: () => tree(fullExport('')),
    },
    ...Object.entries(LANGUAGES).map(([language, texts]) => ({
      name: `group system texts in ${language}`,
      input: () =>
        zip(`group-${language}.zip`, {
          ...profile('Sam Rivera'),
          ...groupThread('messages', `crew_${language}`, texts),
        }),
    })),
    {
      name: 'E2EE download beside the classic one',
      input: () =>
        tree({
          ...profile('Sam Rivera'),
          ...directThread('your_facebook_activity/messages'),
          'data_messenger_e2e/Zoë Brandt_40.json': E2EE_THREAD,
          'data_messenger_e2e/media/abc.jpeg': mediaBytes(64),
        }),
    },
    {
      name: 'multi-part download (a thread split over two zips)',
      input: () => multiPart(),
    },
    {
      name: 'Instagram download',
      input: () => instagramExport(),
    },
    {
      name: 'HTML export',
      input: () => tree({ ...profile('Sam Rivera'), ...htmlThread() }),
      options: { timeZone: 'Europe/Berlin' },
    },
    {
      name: 'a corrupt thread file beside good ones',
      input: () =>
        tree({
          ...fullExport('your_facebook_activity'),
          'your_facebook_activity/messages/inbox/broken_9/message_1.json': '{"participants": [',
        }),
      allowWarnings: true,
    },
    ...(existsSync(corpus)
      ? readdirSync(corpus).map((name) => ({
          name: `corpus msgvault/${name}`,
          input: join(corpus, name),
          options: { me: ['Test User'] },
          allowWarnings: name === 'corrupt',
        }))
      : []),
    ...(existsSync(chatAnalytics)
      ? [
          {
            name: 'corpus chat-analytics 2A_7M.json',
            input: join(chatAnalytics, '2A_7M.json'),
            options: { me: ['Alice'] },
          },
        ]
      : []),
  ],
});

function multiPart(): string {
  const folder = 'zoebrandt_10158000000000001';
  const base = `your_facebook_activity/messages/inbox/${folder}`;
  const older = page({
    title: 'Zoë Brandt',
    participants: ['Zoë Brandt', 'Sam Rivera'],
    threadPath: `inbox/${folder}`,
    messages: [
      { sender_name: 'Zoë Brandt', timestamp_ms: TIMES.T0 - 3 * 60_000, content: 'first ever' },
      { sender_name: 'Sam Rivera', timestamp_ms: TIMES.T0 - 2 * 60_000, content: 'second' },
    ],
  });
  return tree({
    'facebook-sam-part1.zip': zipOf({
      ...profile('Sam Rivera'),
      ...directThread('your_facebook_activity/messages'),
    }),
    'facebook-sam-part2.zip': zipOf({
      [`${base}/message_2.json`]: older,
      [`${base}/photos/9.jpg`]: mediaBytes(4096),
    }),
  });
}

function instagramExport(): string {
  return zip('instagram-samrivera.zip', {
    'personal_information/personal_information/personal_information.json': facebookJson({
      profile_user: [
        { string_map_data: { Name: { value: 'Sam Rivera' }, Username: { value: 'samrivera' } } },
      ],
    }),
    'your_instagram_activity/messages/inbox/zoe_17841400000000001/message_1.json': page({
      title: 'zoë',
      participants: ['zoë', 'Sam Rivera'],
      threadPath: 'inbox/zoe_17841400000000001',
      messages: [
        {
          sender_name: 'zoë',
          timestamp_ms: TIMES.T0,
          content: 'look 😍',
          share: { link: 'https://www.instagram.com/p/abc/', original_content_owner: 'natgeo' },
        },
        { sender_name: 'Sam Rivera', timestamp_ms: TIMES.T0 + 1000, content: 'Liked a message' },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: TIMES.T0 + 2000,
          content: 'so good',
          reactions: [{ reaction: '🔥', actor: 'zoë', timestamp: 1 }],
        },
        { sender_name: 'zoë', timestamp_ms: TIMES.T0 + 3000, content: 'zoë sent an attachment.' },
      ],
    }),
  });
}

function htmlThread(): Record<string, string> {
  const message = (sender: string, body: string, date: string) =>
    `<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder"><div class="_3-95 _2pim _a6-h _a6-i">${sender}</div><div class="_3-95 _a6-p"><div><div></div><div>${body}</div><div></div><div></div></div></div><div class="_3-94 _a6-o"><div class="_a72d">${date}</div></div></div>`;
  return {
    'your_facebook_activity/messages/inbox/zoebrandt_7/message_1.html': `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Zoë Brandt</title></head><body><div class="_a705"><div class="_a706" role="main"><div class="_3b0d">Participants: Zoë Brandt and Sam Rivera</div>${[
      message(
        'Sam Rivera',
        'See you &amp; the dog 🐶<ul class="_a6-q"><li><span>❤Zoë Brandt</span></li></ul>',
        'Mar 01, 2023 1:05:10 pm',
      ),
      message(
        'Zoë Brandt',
        'Zoë sent an attachment.<div><a href="your_facebook_activity/messages/inbox/zoebrandt_7/files/plan.pdf">plan.pdf</a></div>',
        'Mar 01, 2023 1:04:00 pm',
      ),
      message('Zoë Brandt', 'Café? don’t be late', 'Mar 01, 2023 1:03:00 pm'),
    ].join('')}</div></div></body></html>`,
  };
}

describe('messenger parser', () => {
  it('reads every layout and section, threads in time order, owner from the profile', async () => {
    for (const root of ['your_facebook_activity', 'your_activity_across_facebook', '']) {
      const { conversations, warnings } = await parse(tree(fullExport(root)));
      expect(warnings).toEqual([]);
      expect(conversations.map((conversation) => conversation.id).sort()).toEqual([
        'messenger:crew_10158000000000002',
        'messenger:old_1',
        'messenger:req_3',
        'messenger:spam_2',
        'messenger:zoebrandt_10158000000000001',
        'messenger:zoebrandt_4',
      ]);
      for (const conversation of conversations) {
        expect(conversation.participants.filter((participant) => participant.self)).toEqual([
          { id: 'Sam Rivera', name: 'Sam Rivera', self: true },
        ]);
      }
    }
  });

  it('repairs mojibake in every string field and types every kind of message', async () => {
    const { conversations } = await parse(
      zip('sam.zip', { ...profile('Sam Rivera'), ...directThread('messages') }),
    );
    const [conversation] = conversations;
    expect(conversation!.title).toBe('Zoë Brandt');
    expect(conversation!.kind).toBe('direct');
    expect(conversation!.participants.map((participant) => participant.name)).toEqual([
      'Zoë Brandt',
      'Sam Rivera',
    ]);
    const rows = conversation!.messages.map((message) => [
      message.senderId,
      message.type,
      message.text,
      message.attachments?.map((attachment) => attachment.type).join(',') ?? '',
      message.reactions?.map((reaction) => `${reaction.emoji}:${reaction.senderId}`).join(',') ??
        '',
    ]);
    expect(rows).toEqual([
      ['Zoë Brandt', 'text', 'Café at 5? don’t be late 😄', '', ''],
      ['Sam Rivera', 'text', 'yes!', '', '❤:Zoë Brandt'],
      ['Zoë Brandt', 'media', '', 'image', ''],
      // "Reacted 😂 to your message" is folded into Zoë's last message.
      ['Zoë Brandt', 'media', '', '', '😂:Sam Rivera'],
      ['Sam Rivera', 'media', '', 'video', ''],
      ['Sam Rivera', 'media', '', 'audio', ''],
      ['Zoë Brandt', 'media', '', 'file', ''],
      ['Zoë Brandt', 'media', '', 'gif', ''],
      ['Sam Rivera', 'sticker', '', 'sticker', ''],
      ['Sam Rivera', 'text', 'https://example.com/trail', 'link', ''],
      ['Zoë Brandt', 'location', '', 'location', ''],
      ['Zoë Brandt', 'call', 'Call, 12:34', '', ''],
      ['Sam Rivera', 'call', 'Missed call', '', ''],
      ['Zoë Brandt', 'deleted', '', '', ''],
      ['Sam Rivera', 'deleted', '', '', ''],
      // "I" is nobody in the thread: typed words, not a group event.
      ['Zoë Brandt', 'text', 'I left the group.', '', ''],
      ['Sam Rivera', 'deleted', '', '', ''],
    ]);
    const photo = conversation!.messages[2]!.attachments![0]!;
    expect(photo).toEqual({
      type: 'image',
      name: '1.jpg',
      uri: 'messages/inbox/zoebrandt_10158000000000001/photos/1.jpg',
    });
    expect(conversation!.messages[9]!.attachments![0]).toEqual({
      type: 'link',
      uri: 'https://example.com/trail',
      name: 'Trail guide',
    });
    expect(conversation!.source).toEqual({
      format: 'messenger',
      file: 'messages/inbox/zoebrandt_10158000000000001/message_1.json',
    });
  });

  for (const [language, texts] of Object.entries(LANGUAGES)) {
    it(`types localised system texts (${language})`, async () => {
      const { conversations } = await parse(
        tree({ ...profile('Sam Rivera'), ...groupThread('messages', 'crew', texts) }),
      );
      const conversation = conversations[0]!;
      expect(conversation.kind).toBe('group');
      expect(conversation.messages.map((message) => [message.senderId, message.type])).toEqual([
        [null, 'system'],
        [null, 'system'],
        ['Jonas Weber', 'text'],
        ['Sam Rivera', 'media'],
        ['Jonas Weber', 'deleted'],
        [null, 'system'],
      ]);
      // The reaction line became a reaction on Jonas's message.
      expect(conversation.messages[2]!.reactions).toEqual([
        { emoji: '👍', senderId: 'Priya Nair' },
      ]);
      expect(conversation.messages[0]!.text).toBe(texts.added);
    });
  }

  it('merges a thread whose pages are in different part zips, newest page first', async () => {
    const { conversations, warnings } = await parse(multiPart());
    expect(warnings).toEqual([]);
    expect(conversations).toHaveLength(1);
    const conversation = conversations[0]!;
    expect(conversation.id).toBe('messenger:zoebrandt_10158000000000001');
    expect(conversation.messages.slice(0, 3).map((message) => message.text)).toEqual([
      'first ever',
      'second',
      'Café at 5? don’t be late 😄',
    ]);
    expect(conversation.participants.find((participant) => participant.self)?.id).toBe(
      'Sam Rivera',
    );
  });

  it('gives a thread the same id in every part, so separately given parts merge', async () => {
    const dir = multiPart();
    const one = (await parse(join(dir, 'facebook-sam-part1.zip'))).conversations[0]!;
    const two = (await parse(join(dir, 'facebook-sam-part2.zip'), { me: ['Sam Rivera'] }))
      .conversations[0]!;
    const both = (await parse(dir)).conversations[0]!;
    expect(one.id).toBe(two.id);
    const merged = mergeConversations(one, two);
    expect(merged.messages.map((message) => message.id)).toEqual(
      both.messages.map((message) => message.id),
    );
    expect(mergeConversations(merged, one).messages).toHaveLength(both.messages.length);
  });

  it('orders pages numerically (message_10 after message_2) and keeps the newest page title', async () => {
    const base = 'messages/inbox/t_1';
    const make = (n: number, title: string) =>
      page({
        title,
        participants: ['A', 'B'],
        threadPath: 'inbox/t_1',
        messages: [{ sender_name: 'A', timestamp_ms: TIMES.T0 - n * 1000, content: `page ${n}` }],
      });
    const { conversations } = await parse(
      tree({
        [`${base}/message_1.json`]: make(1, 'New'),
        [`${base}/message_2.json`]: make(2, 'Old'),
        [`${base}/message_10.json`]: make(10, 'Oldest'),
      }),
      { me: ['B'] },
    );
    expect(conversations[0]!.messages.map((message) => message.text)).toEqual([
      'page 10',
      'page 2',
      'page 1',
    ]);
    expect(conversations[0]!.title).toBe('New');
  });

  it('reads the E2EE download as clean UTF-8 beside the classic download', async () => {
    const { conversations } = await parse(
      tree({
        ...profile('Sam Rivera'),
        ...directThread('messages'),
        'data_messenger_e2e/Zoë Brandt_40.json': E2EE_THREAD,
      }),
    );
    const e2ee = conversationById(conversations, 'messenger:e2ee:Zoë Brandt_40');
    expect(e2ee.messages.map((message) => [message.type, message.text])).toEqual([
      ['text', 'Grüße aus Köln – naïve café ✓'],
      ['media', ''],
      ['deleted', ''],
    ]);
    expect(e2ee.messages[0]!.reactions).toEqual([{ emoji: '❤', senderId: 'Sam Rivera' }]);
    expect(e2ee.messages[1]!.attachments).toEqual([
      { type: 'image', name: 'abc.jpeg', uri: './media/abc.jpeg' },
      { type: 'file' },
    ]);
    expect(e2ee.participants.find((participant) => participant.self)?.id).toBe('Sam Rivera');
  });

  it('reads the HTML export, with dates in the given zone', async () => {
    const { conversations } = await parse(tree({ ...profile('Sam Rivera'), ...htmlThread() }), {
      timeZone: 'Europe/Berlin',
    });
    const conversation = conversations[0]!;
    expect(conversation.id).toBe('messenger:zoebrandt_7');
    expect(conversation.title).toBe('Zoë Brandt');
    expect(
      conversation.messages.map((message) => [
        message.time,
        message.senderId,
        message.type,
        message.text,
      ]),
    ).toEqual([
      ['2023-03-01T12:03:00.000Z', 'Zoë Brandt', 'text', 'Café? don’t be late'],
      ['2023-03-01T12:04:00.000Z', 'Zoë Brandt', 'media', ''],
      ['2023-03-01T12:05:10.000Z', 'Sam Rivera', 'text', 'See you & the dog 🐶'],
    ]);
    expect(conversation.messages[1]!.attachments).toEqual([
      {
        type: 'file',
        name: 'plan.pdf',
        uri: 'your_facebook_activity/messages/inbox/zoebrandt_7/files/plan.pdf',
      },
    ]);
    expect(conversation.messages[2]!.reactions).toEqual([{ emoji: '❤', senderId: 'Zoë Brandt' }]);
  });

  it('reads Instagram downloads as platform instagram, owner from personal_information.json', async () => {
    const { conversations, warnings } = await parse(instagramExport());
    expect(warnings).toEqual([]);
    const conversation = conversations[0]!;
    expect(conversation.platform).toBe('instagram');
    expect(conversation.id).toBe('instagram:zoe_17841400000000001');
    expect(conversation.messages.map((message) => [message.type, message.text])).toEqual([
      ['text', 'look 😍'],
      ['text', 'so good'],
      ['media', ''],
    ]);
    expect(conversation.messages[0]!.reactions).toEqual([{ emoji: '❤', senderId: 'Sam Rivera' }]);
    expect(conversation.participants.find((participant) => participant.self)?.id).toBe(
      'Sam Rivera',
    );
    const forced = await parse(
      tree(fullExport('messages')),
      {},
      createMessengerParser({ platform: 'instagram' }),
    );
    expect(forced.conversations.every((c) => c.platform === 'instagram')).toBe(true);
  });

  it('finds the owner as the one person in every thread, and lets --me override it', async () => {
    const files = fullExport('your_facebook_activity');
    delete files['personal_information/profile_information/profile_information.json'];
    delete files['your_facebook_activity/messages/autofill_information.json'];
    const dir = tree(files);
    const detected = await parse(dir);
    expect(detected.warnings).toEqual([]);
    expect(
      detected.conversations.every((c) => c.participants.find((p) => p.self)?.id === 'Sam Rivera'),
    ).toBe(true);
    const overridden = await parse(tree(fullExport('messages')), { me: ['zoë brandt'] });
    const direct = conversationById(
      overridden.conversations,
      'messenger:zoebrandt_10158000000000001',
    );
    expect(direct.participants.find((participant) => participant.self)?.id).toBe('Zoë Brandt');
  });

  it('warns, without skipping anything, when the owner cannot be told', async () => {
    const { conversations, warnings } = await parse(tree(directThread('messages')));
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.participants.some((participant) => participant.self)).toBe(false);
    expect(warnings).toEqual([
      expect.objectContaining({ ruleId: 'messenger:no-self', skipped: false }),
    ]);
  });

  it('reports a corrupt thread file with its place and still converts the others', async () => {
    const dir = tree({
      ...fullExport('messages'),
      'messages/inbox/broken_9/message_1.json': '{\n  "participants": [\n    {"name": oops}\n',
      'messages/inbox/zoebrandt_10158000000000001/message_2.json':
        '{"participants": [], "title": "x"}',
    });
    const { conversations, warnings } = await parse(dir);
    expect(conversations).toHaveLength(6);
    expect(warnings).toEqual([
      expect.objectContaining({
        file: `${dir}/messages/inbox/broken_9/message_1.json`,
        line: 3,
        ruleId: 'messenger:bad-json',
        source: 'messenger',
      }),
      expect.objectContaining({
        file: `${dir}/messages/inbox/zoebrandt_10158000000000001/message_2.json`,
        ruleId: 'messenger:not-a-thread',
      }),
    ]);
    expect(warnings[0]!.skipped).not.toBe(false);
  });

  it('reports messages without a time and keeps the rest of the thread', async () => {
    const { conversations, warnings } = await parse(
      tree({
        'messages/inbox/t_1/message_1.json': JSON.stringify({
          participants: [{ name: 'A' }, { name: 'B' }],
          messages: [
            { sender_name: 'A', content: 'no time' },
            { sender_name: 'B', timestamp_ms: 1, content: 'ok' },
          ],
          thread_path: 'inbox/t_1',
        }),
      }),
      { me: ['A'] },
    );
    expect(conversations[0]!.messages).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ ruleId: 'messenger:bad-message' })]);
  });

  it('never opens media files', async () => {
    const dir = tree({
      ...fullExport('messages'),
      'messages/inbox/zoebrandt_10158000000000001/photos/big.jpg': mediaBytes(1024),
    });
    const input = await openInput(dir);
    const opened: string[] = [];
    const entries = await input.entries();
    for (const entry of entries) {
      const original = entry.stream.bind(entry);
      Object.assign(entry, {
        stream: () => {
          opened.push(entry.path);
          return original();
        },
        readHead: async (bytes?: number) => {
          opened.push(entry.path);
          return (await original()).read(bytes ?? 0) ?? Buffer.alloc(0);
        },
      });
    }
    try {
      await collectParse(messenger.parse(input, { timeZone: 'UTC' }));
    } finally {
      await input.close();
    }
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.filter((path) => !/\.json$/.test(path))).toEqual([]);
  });

  it('throws a ParseError naming the input when there is no thread, and detect declines it', async () => {
    const dir = tree({
      'notes.txt': 'hello',
      'photo.jpg': mediaBytes(32),
      'data.json': '{"a": 1}',
    });
    const input = await openInput(dir);
    try {
      expect(await messenger.detect(input)).toBeUndefined();
    } finally {
      await input.close();
    }
    await expect(parse(dir)).rejects.toThrow(ParseError);
    await expect(parse(dir)).rejects.toThrow(/no Messenger or Instagram thread found/);
  });

  it('is picked by a registry for a download and reports what it will read', async () => {
    const input = await openInput(zip('facebook.zip', fullExport('your_facebook_activity')));
    try {
      const [match] = await createParserRegistry([messenger]).detect(input);
      expect(match?.detection.confidence).toBe(1);
      expect(match?.detection.entries).toContain(
        'your_facebook_activity/messages/inbox/old_1/message_1.json'.replace(
          'inbox/old_1',
          'archived_threads/old_1',
        ),
      );
    } finally {
      await input.close();
    }
  });

  it('reads a single thread file given on its own, id from thread_path', async () => {
    const dir = tree({
      'thread.json': page({
        title: 'X',
        participants: ['A', 'B'],
        threadPath: 'inbox/x_42',
        messages: [{ sender_name: 'A', timestamp_ms: 5, content: 'hi' }],
      }),
    });
    const { conversations } = await parse(join(dir, 'thread.json'), { me: ['A'] });
    expect(conversations[0]!.id).toBe('messenger:x_42');
    expect(conversations[0]!.source.file).toBe('thread.json');
    writeFileSync(join(dir, 'thread.json'), '');
  });
});
