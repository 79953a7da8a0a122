export interface UserSpec {
  id: string;
  name: string;
  nickname?: string;
  isBot?: boolean;
}

export const SAM: UserSpec = { id: '111111111111111111', name: 'samr', nickname: 'Sam Rivera' };
export const ALEX: UserSpec = { id: '222222222222222222', name: 'alexc', nickname: 'Alex Chen' };
export const PRIYA: UserSpec = { id: '333333333333333333', name: 'priya' };
export const BOT: UserSpec = { id: '999999999999999999', name: 'Helper', isBot: true };

/** A user object as DiscordChatExporter writes it. */
export function user(spec: UserSpec): Record<string, unknown> {
  return {
    id: spec.id,
    name: spec.name,
    discriminator: '0000',
    ...(spec.nickname ? { nickname: spec.nickname } : {}),
    color: null,
    isBot: spec.isBot ?? false,
    avatarUrl: `https://cdn.discordapp.com/embed/avatars/${spec.id.slice(-1)}.png`,
  };
}

let clock = Date.UTC(2024, 2, 1, 12);

/** A message with every field DiscordChatExporter writes; `fields` override them. */
export function message(
  id: string,
  author: UserSpec,
  content: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  clock += 60_000;
  return {
    id,
    type: 'Default',
    timestamp: new Date(clock).toISOString().replace('Z', '+00:00'),
    timestampEdited: null,
    callEndedTimestamp: null,
    isPinned: false,
    content,
    author: user(author),
    attachments: [],
    embeds: [],
    stickers: [],
    reactions: [],
    mentions: [],
    ...fields,
  };
}

/** A whole export file for one channel. */
export function channelExport(
  channel: { id: string; type: string; name: string; guild?: { id: string; name: string } },
  messages: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    guild: {
      id: channel.guild?.id ?? '0',
      name: channel.guild?.name ?? 'Direct Messages',
      iconUrl: 'https://cdn.discordapp.com/embed/avatars/0.png',
    },
    channel: {
      id: channel.id,
      type: channel.type,
      categoryId: '0',
      category: 'Private',
      name: channel.name,
      topic: null,
    },
    dateRange: { after: null, before: null },
    exportedAt: '2024-04-01T00:00:00+00:00',
    messages,
    messageCount: messages.length,
  };
}

/** A one-to-one DM with the message kinds a real one has. */
export function directMessages(): Record<string, unknown> {
  clock = Date.UTC(2024, 2, 1, 12);
  return channelExport({ id: '5000', type: 'DirectTextChat', name: 'Alex Chen' }, [
    message('1001', SAM, 'hey <@222222222222222222>! café tonight? <:pepe_happy:77>', {
      mentions: [user(ALEX)],
    }),
    message('1002', ALEX, 'sure 😂', {
      type: 'Reply',
      reference: { messageId: '1001', channelId: '5000', guildId: null },
      timestampEdited: '2024-03-01T12:05:00+00:00',
      reactions: [
        {
          emoji: { id: '', name: '❤️', isAnimated: false, imageUrl: 'https://x/2764.svg' },
          count: 1,
          users: [user(SAM)],
        },
        {
          emoji: { id: '55', name: 'party', isAnimated: true, imageUrl: 'https://x/55.gif' },
          count: 2,
          users: [user(SAM), user(ALEX)],
        },
        { emoji: { id: '', name: '👀', isAnimated: false, imageUrl: 'https://x/1f440.svg' }, count: 3 },
      ],
    }),
    message('1003', SAM, '', {
      attachments: [
        {
          id: '9',
          url: 'Direct Messages - Alex Chen [5000].json_Files/photo-1A2B3.jpg',
          fileName: 'photo.jpg',
          fileSizeBytes: 1234,
        },
      ],
    }),
    message('1004', ALEX, 'look at this', {
      attachments: [
        { id: '10', url: 'https://cdn.discordapp.com/attachments/1/2/clip.mp4', fileName: 'clip.mp4' },
        { id: '11', url: 'https://cdn.discordapp.com/attachments/1/2/voice.ogg', fileName: 'voice-message.ogg' },
        { id: '12', url: 'https://cdn.discordapp.com/attachments/1/2/notes.pdf', fileName: 'notes.pdf' },
      ],
    }),
    message('1005', SAM, '', {
      stickers: [{ id: '8', name: 'Wave', format: 'Png', sourceUrl: 'https://media.discordapp.net/stickers/8.png' }],
    }),
    message('1006', ALEX, 'https://example.com/article', {
      embeds: [{ title: 'An article', url: 'https://example.com/article', description: 'long read' }],
    }),
    message('1007', SAM, 'Started a call that lasted 12 minutes.', {
      type: 'Call',
      callEndedTimestamp: '2024-03-01T12:20:00+00:00',
    }),
    message('1008', ALEX, 'Pinned a message.', {
      type: 'ChannelPinnedMessage',
      reference: { messageId: '1006', channelId: '5000', guildId: null },
    }),
  ]);
}

/** A server channel with a bot, a join line and a cross-posted reference. */
export function serverChannel(): Record<string, unknown> {
  clock = Date.UTC(2024, 1, 1, 9);
  return channelExport(
    { id: '7000', type: 'GuildTextChat', name: 'general', guild: { id: '6000', name: 'Crew' } },
    [
      message('2001', PRIYA, 'Joined the server.', { type: 'GuildMemberJoin' }),
      message('2002', PRIYA, 'hi all'),
      message('2003', BOT, 'Welcome, priya!', {
        reference: { messageId: '1', channelId: '123', guildId: '6000' },
      }),
      message('2004', SAM, '', { type: 'ThreadCreated' }),
      message('2005', SAM, 'morning', { author: { ...user(SAM), nickname: 'Sam (away)' } }),
    ],
  );
}

/** Indented, as DiscordChatExporter writes it. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
