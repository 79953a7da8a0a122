/** Telegram Desktop writes `text` and, since 2022, `text_entities` beside it. */
function textFields(text: string | (string | { type: string; text: string })[]) {
  const entities = (typeof text === 'string' ? [text] : text).map((part) =>
    typeof part === 'string' ? { type: 'plain', text: part } : part,
  );
  return { text, text_entities: entities };
}

const NOT_INCLUDED = '(File not included. Change data exporting settings to download.)';

/** A one-to-one chat in the layout of "Export chat history" → JSON (2024). */
export function personalChat(): Record<string, unknown> {
  const base = (id: number, unixtime: number, from: [string, string]) => ({
    id,
    type: 'message',
    date: new Date((unixtime + 7200) * 1000).toISOString().slice(0, 19),
    date_unixtime: String(unixtime),
    from: from[0],
    from_id: from[1],
  });
  const sam: [string, string] = ['Sam Rivera', 'user111'];
  const alex: [string, string] = ['Alex Chen', 'user222'];
  return {
    name: 'Alex Chen',
    type: 'personal_chat',
    id: 222,
    messages: [
      {
        id: 1,
        type: 'service',
        date: '2024-03-01T10:00:00',
        date_unixtime: '1709283600',
        actor: 'Alex Chen',
        actor_id: 'user222',
        action: 'joined_telegram',
        ...textFields(''),
      },
      { ...base(2, 1709287200, sam), ...textFields('hey, welcome! café?') },
      {
        ...base(3, 1709287260, alex),
        ...textFields([
          'sure, ',
          { type: 'bold', text: 'tomorrow' },
          ' at ',
          { type: 'link', text: 'https://maps.example/cafe' },
        ]),
        reply_to_message_id: 2,
        edited: '2024-03-01T12:02:00',
        edited_unixtime: '1709287320',
        reactions: [
          {
            type: 'emoji',
            count: 1,
            emoji: '❤',
            recent: [{ from: 'Sam Rivera', from_id: 'user111', date: '2024-03-01T12:03:00' }],
          },
        ],
      },
      {
        ...base(4, 1709287300, sam),
        file: 'stickers/sticker.webp',
        thumbnail: 'stickers/sticker.webp_thumb.jpg',
        media_type: 'sticker',
        sticker_emoji: '😂',
        width: 512,
        height: 512,
        ...textFields(''),
      },
      {
        ...base(5, 1709287400, alex),
        photo: 'photos/photo_1@01-03-2024_12-03-20.jpg',
        width: 1280,
        height: 960,
        ...textFields('the view from here'),
      },
      {
        ...base(6, 1709287500, sam),
        file: NOT_INCLUDED,
        media_type: 'voice_message',
        mime_type: 'audio/ogg',
        duration_seconds: 4,
        ...textFields(''),
      },
      {
        ...base(7, 1709287600, alex),
        file: 'video_files/clip.mp4',
        media_type: 'video_file',
        mime_type: 'video/mp4',
        ...textFields(''),
      },
      {
        ...base(8, 1709287700, sam),
        file: 'video_files/dance.gif.mp4',
        media_type: 'animation',
        mime_type: 'video/mp4',
        ...textFields(''),
      },
      {
        ...base(9, 1709287800, alex),
        file: 'files/plan.pdf',
        file_name: 'plan.pdf',
        mime_type: 'application/pdf',
        ...textFields(''),
      },
      {
        ...base(10, 1709287900, sam),
        forwarded_from: 'Tech News',
        ...textFields('Big announcement today'),
      },
      {
        ...base(11, 1709288000, alex),
        poll: {
          question: 'Pizza or sushi?',
          closed: false,
          total_voters: 2,
          answers: [
            { text: 'Pizza', voters: 1, chosen: true },
            { text: 'Sushi', voters: 1, chosen: false },
          ],
        },
        ...textFields(''),
      },
      {
        ...base(12, 1709288100, sam),
        location_information: { latitude: 52.52, longitude: 13.405 },
        place_name: 'Café Nord',
        address: 'Main St 1',
        ...textFields(''),
      },
      {
        ...base(13, 1709288200, alex),
        contact_information: { first_name: 'Priya', last_name: 'Nair', phone_number: '+4915112345678' },
        contact_vcard: 'contacts/contact_1.vcard',
        ...textFields(''),
      },
      {
        id: 14,
        type: 'service',
        date: '2024-03-01T14:00:00',
        date_unixtime: '1709294400',
        actor: 'Sam Rivera',
        actor_id: 'user111',
        action: 'phone_call',
        duration_seconds: 56,
        discard_reason: 'hangup',
        ...textFields(''),
      },
      {
        ...base(15, 1709294500, alex),
        ...textFields('see you 👋🏽'),
        reactions: [
          {
            type: 'emoji',
            count: 2,
            emoji: '👍',
            recent: [
              { from: 'Sam Rivera', from_id: 'user111', date: '2024-03-01T14:02:00' },
              { from: 'Alex Chen', from_id: 'user222', date: '2024-03-01T14:02:00' },
            ],
          },
          { type: 'emoji', count: 4, emoji: '🔥' },
        ],
      },
    ],
  };
}

/** The whole-account export ("Export Telegram data" → JSON): owner, chats, left chats. */
export function accountExport(): Record<string, unknown> {
  return {
    about: 'Here is the data you requested.',
    personal_information: {
      user_id: 111,
      first_name: 'Sam',
      last_name: 'Rivera',
      phone_number: '+49 151 0000000',
      username: '@samr',
      bio: '',
    },
    profile_pictures: [],
    contacts: { about: 'contacts', list: [{ first_name: 'Alex', last_name: 'Chen' }] },
    chats: {
      about: 'This page lists all chats from this export.',
      list: [
        personalChat(),
        {
          name: 'Weekend Crew',
          type: 'private_supergroup',
          id: 9001,
          messages: [
            {
              id: 1,
              type: 'service',
              date: '2024-02-01T09:00:00',
              date_unixtime: '1706774400',
              actor: 'Sam Rivera',
              actor_id: 'user111',
              action: 'create_group',
              title: 'Weekend Crew',
              members: ['Alex Chen', 'Priya Nair'],
              ...textFields(''),
            },
            {
              id: 2,
              type: 'message',
              date: '2024-02-01T09:01:00',
              date_unixtime: '1706774460',
              from: 'Priya Nair',
              from_id: 'user333',
              ...textFields('hi all'),
            },
            {
              id: 3,
              type: 'message',
              date: '2024-02-01T09:02:00',
              date_unixtime: '1706774520',
              from: null,
              from_id: 'user444',
              ...textFields('deleted account speaking'),
            },
          ],
        },
        { name: 'Empty', type: 'private_group', id: 9002, messages: [] },
        {
          name: 'Tech News',
          type: 'public_channel',
          id: 5005,
          messages: [
            {
              id: 7,
              type: 'message',
              date: '2024-01-01T00:00:00',
              date_unixtime: '1704067200',
              from: 'Tech News',
              from_id: 'channel5005',
              ...textFields('Big announcement today'),
            },
          ],
        },
      ],
    },
    left_chats: {
      about: 'left',
      list: [
        {
          name: 'Old Club',
          type: 'private_group',
          id: 7007,
          messages: [
            {
              id: 1,
              type: 'message',
              date: '2020-05-05T05:05:05',
              date_unixtime: '1588655105',
              from: 'Sam Rivera',
              from_id: 'user111',
              ...textFields('bye everyone'),
            },
          ],
        },
      ],
    },
  };
}

/** Pretty-printed, as Telegram Desktop writes it. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 1);
}
