import { createZip } from '@alterego/core/test';

/**
 * Builders for small Facebook and Instagram downloads in every shape the parser reads, written
 * the way Facebook writes them (non-ASCII text as one `\u00XX` escape per UTF-8 byte).
 */

/** JSON the way Facebook writes it: every UTF-8 byte of non-ASCII text as its own `\u00XX`. */
export function facebookJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[^\x00-\x7f]+/g, (chars) =>
    [...Buffer.from(chars, 'utf8')].map((byte) => `\\u00${byte.toString(16).padStart(2, '0')}`).join(''),
  );
}

export interface FixtureMessage {
  sender_name: string;
  timestamp_ms: number;
  content?: string;
  [key: string]: unknown;
}

/** One `message_N.json` page: messages are written newest first, as Facebook does. */
export function page(options: {
  title: string;
  participants: string[];
  threadPath: string;
  messages: FixtureMessage[];
  extra?: Record<string, unknown>;
}): string {
  const messages = options.messages.slice().sort((a, b) => b.timestamp_ms - a.timestamp_ms);
  return facebookJson({
    participants: options.participants.map((name) => ({ name })),
    messages: messages.map((message) => ({
      ...message,
      is_geoblocked_for_viewer: false,
      is_unsent_image_by_messenger_kid_parent: false,
    })),
    title: options.title,
    is_still_participant: true,
    thread_path: options.threadPath,
    magic_words: [],
    ...options.extra,
  });
}

/** A zip of files, media stored, JSON deflated, as Facebook's downloads are. */
export function zipOf(files: Record<string, string | Uint8Array>): Buffer {
  return createZip(
    Object.entries(files).map(([name, data]) => ({
      name,
      data,
      compress: !/\.(?:jpg|png|mp4|gif)$/i.test(name),
    })),
  );
}

const T0 = Date.UTC(2023, 2, 1, 12, 0, 0);
const MIN = 60_000;

/** Sam Rivera's direct thread with Zoë: text, mojibake, reactions, media of every kind, calls. */
export function directThread(root: string, folder = 'zoebrandt_10158000000000001'): Record<string, string> {
  const threadPath = `inbox/${folder}`;
  const media = `${root}/inbox/${folder}`;
  return {
    [`${root}/inbox/${folder}/message_1.json`]: page({
      title: 'Zoë Brandt',
      participants: ['Zoë Brandt', 'Sam Rivera'],
      threadPath,
      messages: [
        { sender_name: 'Zoë Brandt', timestamp_ms: T0, content: 'Café at 5? don’t be late 😄' },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: T0 + MIN,
          content: 'yes!',
          reactions: [{ reaction: '❤️', actor: 'Zoë Brandt' }],
        },
        {
          sender_name: 'Zoë Brandt',
          timestamp_ms: T0 + 2 * MIN,
          photos: [{ uri: `${media}/photos/1.jpg`, creation_timestamp: 1 }],
        },
        { sender_name: 'Zoë Brandt', timestamp_ms: T0 + 3 * MIN, content: 'Zoë sent an attachment.' },
        { sender_name: 'Sam Rivera', timestamp_ms: T0 + 4 * MIN, content: 'Reacted 😂 to your message ' },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: T0 + 5 * MIN,
          videos: [{ uri: `${media}/videos/2.mp4`, creation_timestamp: 1 }],
        },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: T0 + 6 * MIN,
          audio_files: [{ uri: `${media}/audio/3.mp4`, creation_timestamp: 1 }],
        },
        {
          sender_name: 'Zoë Brandt',
          timestamp_ms: T0 + 7 * MIN,
          files: [{ uri: `${media}/files/plan.pdf`, creation_timestamp: 1 }],
        },
        {
          sender_name: 'Zoë Brandt',
          timestamp_ms: T0 + 8 * MIN,
          gifs: [{ uri: `${media}/gifs/4.gif` }],
        },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: T0 + 9 * MIN,
          sticker: { uri: `${root}/stickers_used/5.png`, ai_stickers: [] },
        },
        {
          sender_name: 'Sam Rivera',
          timestamp_ms: T0 + 10 * MIN,
          content: 'https://example.com/trail',
          share: { link: 'https://example.com/trail', share_text: 'Trail guide' },
        },
        {
          sender_name: 'Zoë Brandt',
          timestamp_ms: T0 + 11 * MIN,
          share: { link: 'https://www.bing.com/maps/default.aspx?v=2&where1=52.52,13.40' },
          content: 'Zoë sent a location.',
        },
        { sender_name: 'Zoë Brandt', timestamp_ms: T0 + 12 * MIN, type: 'Call', call_duration: 754 },
        { sender_name: 'Sam Rivera', timestamp_ms: T0 + 13 * MIN, type: 'Call', call_duration: 0, missed: true },
        { sender_name: 'Zoë Brandt', timestamp_ms: T0 + 14 * MIN, is_unsent: true },
        { sender_name: 'Sam Rivera', timestamp_ms: T0 + 15 * MIN, content: 'Sam unsent a message.' },
        { sender_name: 'Zoë Brandt', timestamp_ms: T0 + 16 * MIN, content: 'I left the group.' },
        { sender_name: 'Sam Rivera', timestamp_ms: T0 + 17 * MIN },
      ],
    }),
  };
}

/** A group thread in one language, with the system texts that language's export writes. */
export function groupThread(
  root: string,
  folder: string,
  texts: { added: string; left: string; attachment: string; reacted: string; unsent: string; named: string },
): Record<string, string> {
  return {
    [`${root}/inbox/${folder}/message_1.json`]: page({
      title: 'Crew',
      participants: ['Sam Rivera', 'Priya Nair', 'Jonas Weber'],
      threadPath: `inbox/${folder}`,
      extra: { thread_type: 'RegularGroup', joinable_mode: { mode: 1, link: '' } },
      messages: [
        { sender_name: 'Priya Nair', timestamp_ms: T0, content: texts.added },
        { sender_name: 'Priya Nair', timestamp_ms: T0 + MIN, content: texts.named },
        { sender_name: 'Jonas Weber', timestamp_ms: T0 + 2 * MIN, content: 'Hallo zusammen' },
        { sender_name: 'Priya Nair', timestamp_ms: T0 + 3 * MIN, content: texts.reacted },
        { sender_name: 'Sam Rivera', timestamp_ms: T0 + 4 * MIN, content: texts.attachment },
        { sender_name: 'Jonas Weber', timestamp_ms: T0 + 5 * MIN, content: texts.unsent },
        { sender_name: 'Jonas Weber', timestamp_ms: T0 + 6 * MIN, content: texts.left },
      ],
    }),
  };
}

/** The owner's profile file as Facebook writes it. */
export function profile(name: string): Record<string, string> {
  return {
    'personal_information/profile_information/profile_information.json': facebookJson({
      profile_v2: { name: { full_name: name, first_name: name.split(' ')[0], last_name: '' } },
    }),
  };
}

/** A small binary stand-in for a photo or video. */
export function mediaBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed;
  for (let index = 0; index < size; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

export const TIMES = { T0, MIN };
