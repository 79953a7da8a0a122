import { createZip } from '@alterego/core/test';

/** Archive files by path inside the archive (`data/tweets.js`). */
export type ArchiveFiles = Record<string, string | Uint8Array>;

/** JSON the way X writes it: two-space indentation and `" : "` between keys and values. */
export function archiveJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

/** A data file: `window.YTD.<name>.part<N> = [ … ]`. */
export function ytd(name: string, items: readonly unknown[], part = 0): string {
  return `window.YTD.${name}.part${part} = ${archiveJson(items)}`;
}

export const OWNER = { id: '322603863', username: 'samrivera', displayName: 'Sam Rivera 🌊' };
export const FRIEND = { id: '1850280926082650112', username: 'alexchen', name: 'Alex Chen' };

export function accountJs(owner = OWNER): string {
  return ytd('account', [
    {
      account: {
        email: 'sam@example.com',
        createdVia: 'web',
        username: owner.username,
        accountId: owner.id,
        createdAt: '2011-06-23T13:04:14.000Z',
        accountDisplayName: owner.displayName,
      },
    },
  ]);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Wed Oct 10 20:19:24 +0000 2018` for an ISO time. */
export function twitterTime(isoTime: string): string {
  const date = new Date(isoTime);
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${day} ${date.toISOString().slice(11, 19)} +0000 ${date.getUTCFullYear()}`;
}

export interface TweetSpec {
  id: string;
  time: string;
  text: string;
  urls?: { url: string; expanded: string; indices: [number, number] }[];
  media?: {
    url: string;
    indices: [number, number];
    type: 'photo' | 'video' | 'animated_gif';
    mediaUrl: string;
    id?: string;
    variants?: { url: string; bitrate?: number; content_type: string }[];
  }[];
  mentions?: { id: string; screenName: string; name: string; indices: [number, number] }[];
  replyTo?: { statusId: string; userId: string; screenName: string };
  displayRange?: [number, number];
  edit?: { initial: string } | { editIds: string[] };
  wrapped?: boolean;
}

/** A tweet in the archive's shape: every number a string. */
export function tweet(spec: TweetSpec): unknown {
  const length = Array.from(spec.text).length;
  const media = (spec.media ?? []).map((item, index) => ({
    expanded_url: `https://twitter.com/${OWNER.username}/status/${spec.id}/photo/${index + 1}`,
    indices: item.indices.map(String),
    url: item.url,
    media_url: item.mediaUrl.replace('https:', 'http:'),
    id_str: item.id ?? `${spec.id}${index}`,
    id: item.id ?? `${spec.id}${index}`,
    media_url_https: item.mediaUrl,
    sizes: { large: { w: '1024', h: '768', resize: 'fit' } },
    type: item.type,
    display_url: 'pic.twitter.com/abc',
    ...(item.variants ? { video_info: { aspect_ratio: ['16', '9'], variants: item.variants.map((variant) => ({ ...variant, ...(variant.bitrate === undefined ? {} : { bitrate: String(variant.bitrate) }) })) } } : {}),
  }));
  const body: Record<string, unknown> = {
    edit_info:
      spec.edit && 'initial' in spec.edit
        ? { edit: { initialTweetId: spec.edit.initial, editControlInitial: { editTweetIds: [spec.edit.initial, spec.id], editableUntil: '2025-04-08T18:27:14.000Z', editsRemaining: '4', isEditEligible: true } } }
        : { initial: { editTweetIds: spec.edit && 'editIds' in spec.edit ? spec.edit.editIds : [spec.id], editableUntil: '2025-04-08T18:27:14.000Z', editsRemaining: '5', isEditEligible: false } },
    retweeted: false,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    entities: {
      hashtags: [],
      symbols: [],
      user_mentions: (spec.mentions ?? []).map((mention) => ({
        name: mention.name,
        screen_name: mention.screenName,
        indices: mention.indices.map(String),
        id_str: mention.id,
        id: mention.id,
      })),
      urls: (spec.urls ?? []).map((url) => ({
        url: url.url,
        expanded_url: url.expanded,
        display_url: url.expanded.replace(/^https?:\/\//, '').slice(0, 24),
        indices: url.indices.map(String),
      })),
      ...(media.length > 0 ? { media: media.slice(0, 1) } : {}),
    },
    display_text_range: (spec.displayRange ?? [0, length]).map(String),
    favorite_count: '0',
    id_str: spec.id,
    truncated: false,
    retweet_count: '0',
    id: spec.id,
    created_at: twitterTime(spec.time),
    favorited: false,
    full_text: spec.text,
    lang: 'en',
    ...(media.length > 0 ? { extended_entities: { media } } : {}),
    ...(spec.replyTo
      ? {
          in_reply_to_status_id_str: spec.replyTo.statusId,
          in_reply_to_status_id: spec.replyTo.statusId,
          in_reply_to_user_id: spec.replyTo.userId,
          in_reply_to_user_id_str: spec.replyTo.userId,
          in_reply_to_screen_name: spec.replyTo.screenName,
        }
      : {}),
  };
  return spec.wrapped === false ? body : { tweet: body };
}

export function noteTweet(id: string, time: string, text: string, urls: { shortUrl: string; expandedUrl: string }[] = []): unknown {
  return {
    noteTweet: {
      noteTweetId: id,
      updatedAt: time,
      lifecycle: { value: 'live', name: 'Live', originalName: 'live', annotations: {} },
      createdAt: time,
      core: { styletags: [], urls, text, mentions: [], cashtags: [], hashtags: [] },
    },
  };
}

export interface DmSpec {
  id: string;
  senderId: string;
  recipientId?: string;
  time: string;
  text: string;
  urls?: { url: string; expanded: string; display?: string }[];
  mediaUrls?: string[];
  reactions?: { senderId: string; reactionKey: string; emoji?: string; time?: string }[];
}

export function messageCreate(spec: DmSpec): unknown {
  return {
    messageCreate: {
      ...(spec.recipientId ? { recipientId: spec.recipientId } : {}),
      reactions: (spec.reactions ?? []).map((reaction, index) => ({
        senderId: reaction.senderId,
        reactionKey: reaction.reactionKey,
        eventId: `${spec.id}${index}`,
        createdAt: reaction.time ?? spec.time,
        ...(reaction.emoji ? { emoji: reaction.emoji } : {}),
      })),
      urls: (spec.urls ?? []).map((url) => ({ url: url.url, expanded: url.expanded, display: url.display ?? url.expanded })),
      text: spec.text,
      mediaUrls: spec.mediaUrls ?? [],
      senderId: spec.senderId,
      id: spec.id,
      createdAt: spec.time,
      editHistory: [],
    },
  };
}

export function dmConversation(conversationId: string, messages: readonly unknown[]): unknown {
  return { dmConversation: { conversationId, messages } };
}

/** A manifest.js listing the given data files (paths inside the archive). */
export function manifestJs(owner: typeof OWNER, dataTypes: Record<string, string[]>): string {
  return `window.__THAR_CONFIG = ${archiveJson({
    userInfo: { accountId: owner.id, userName: owner.username, displayName: owner.displayName },
    archiveInfo: { sizeBytes: '1000', generationDate: '2025-01-01T00:00:00.000Z', isPartialArchive: false, maxPartSizeBytes: '53687091200' },
    readmeInfo: { fileName: 'data/README.txt', directory: 'data/', name: 'README.txt' },
    dataTypes: Object.fromEntries(
      Object.entries(dataTypes).map(([key, files]) => [
        key,
        { files: files.map((fileName, index) => ({ fileName, globalName: `YTD.${key}.part${index}`, count: '1' })) },
      ]),
    ),
  })}`;
}

/** The archive as the zip X sends, with `Your archive.html` beside `data/`. */
export function archiveZip(files: ArchiveFiles, prefix = ''): Buffer {
  return createZip(
    Object.fromEntries([
      [`${prefix}Your archive.html`, '<!DOCTYPE html><title>Your archive</title>'],
      ...Object.entries(files).map(([path, data]) => [`${prefix}${path}`, data]),
    ]),
  );
}

/** `[start, end]` of `part` in `text`, in code points, as the archive counts entity indices. */
export function codePointRange(text: string, part: string, from = 0): [number, number] {
  const offset = text.indexOf(part, from);
  if (offset === -1) throw new Error(`${part} is not in ${text}`);
  const start = Array.from(text.slice(0, offset)).length;
  return [start, start + Array.from(part).length];
}

const T1 = 'Fish &amp; chips &lt;3 😀 https://t.co/link1 https://t.co/pic1';
const T6 =
  'Long thoughts on archives: they are data, never code, and a parser must read them that way even when the file looks like a script; the prefix is an assignment and nothing more. Also ids are strings and indices count code points, which matters for emoji. More… https://t.co/note1';
const NOTE_TEXT =
  'Long thoughts on archives: they are data, never code, and a parser must read them that way even when the file looks like a script; the prefix is an assignment and nothing more. Also ids are strings and indices count code points, which matters for emoji. More on that here https://t.co/n2 and the end of a long tweet &amp; its full text.';
const RETWEET = 'RT @alexchen: kleinian groups 3d blender cycles ;) … #kleinian_grou…';
const REPLY = '@alexchen I dont agree';

/** The owner's tweets in tweets.js: every case the parser handles. */
export function mainTweets(): unknown[] {
  return [
    tweet({
      id: '100',
      time: '2023-01-01T10:00:00Z',
      text: T1,
      urls: [{ url: 'https://t.co/link1', expanded: 'https://example.com/a?b=1&c=2', indices: codePointRange(T1, 'https://t.co/link1') }],
      media: [
        { url: 'https://t.co/pic1', indices: codePointRange(T1, 'https://t.co/pic1'), type: 'photo', mediaUrl: 'https://pbs.twimg.com/media/FooBar1.jpg' },
        { url: 'https://t.co/pic1', indices: codePointRange(T1, 'https://t.co/pic1'), type: 'photo', mediaUrl: 'https://pbs.twimg.com/media/FooBar2.png' },
      ],
      displayRange: [0, Array.from(T1).length - 18],
    }),
    tweet({
      id: '101',
      time: '2023-01-01T10:05:00Z',
      text: 'and another thing',
      replyTo: { statusId: '100', userId: OWNER.id, screenName: OWNER.username },
    }),
    tweet({
      id: '102',
      time: '2023-01-01T11:00:00Z',
      text: REPLY,
      replyTo: { statusId: '999', userId: FRIEND.id, screenName: FRIEND.username },
      mentions: [{ id: FRIEND.id, screenName: FRIEND.username, name: FRIEND.name, indices: [0, 9] }],
      displayRange: [10, Array.from(REPLY).length],
    }),
    tweet({ id: '103', time: '2023-01-01T12:00:00Z', text: RETWEET }),
    tweet({
      id: '104',
      time: '2023-01-01T13:00:00Z',
      text: 'https://t.co/vid1',
      media: [
        {
          url: 'https://t.co/vid1',
          indices: [0, 17],
          type: 'video',
          mediaUrl: 'https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/thumb.jpg',
          variants: [
            { url: 'https://video.twimg.com/ext_tw_video/1/pu/pl/list.m3u8?tag=12', content_type: 'application/x-mpegURL' },
            { url: 'https://video.twimg.com/ext_tw_video/1/pu/vid/480x270/small.mp4?tag=12', bitrate: 256000, content_type: 'video/mp4' },
            { url: 'https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/clip.mp4?tag=12', bitrate: 2176000, content_type: 'video/mp4' },
          ],
        },
      ],
      displayRange: [0, 0],
    }),
    tweet({
      id: '105',
      time: '2023-01-01T14:00:00Z',
      text: T6,
      urls: [{ url: 'https://t.co/note1', expanded: `https://twitter.com/i/web/status/105`, indices: codePointRange(T6, 'https://t.co/note1') }],
    }),
    tweet({ id: '106', time: '2023-01-01T15:00:00Z', text: 'helo world', edit: { editIds: ['106', '107'] } }),
    tweet({ id: '107', time: '2023-01-01T15:02:00Z', text: 'hello world', edit: { initial: '106' } }),
  ];
}

export const NOTE_FULL_TEXT = NOTE_TEXT.replace('https://t.co/n2', 'https://example.net/archives').replace('&amp;', '&');

/** A complete archive: account, manifest, tweets in two parts, a note tweet, direct and group messages, media. */
export function fullArchive(): ArchiveFiles {
  const dmId = `${OWNER.id}-${FRIEND.id}`;
  return {
    'data/manifest.js': manifestJs(OWNER, {
      account: ['data/account.js'],
      tweets: ['data/tweets.js', 'data/tweets-part1.js'],
      noteTweet: ['data/note-tweet.js'],
      directMessages: ['data/direct-messages.js'],
      directMessagesGroup: ['data/direct-messages-group.js'],
    }),
    'data/account.js': accountJs(),
    'data/tweets.js': ytd('tweets', mainTweets()),
    'data/tweets-part1.js': ytd(
      'tweets',
      [
        tweet({
          id: '108',
          time: '2023-01-01T16:00:00Z',
          text: 'from part one',
          replyTo: { statusId: '107', userId: OWNER.id, screenName: OWNER.username },
        }),
      ],
      1,
    ),
    'data/note-tweet.js': ytd('note_tweet', [
      noteTweet('9001', '2023-01-01T14:00:00.000Z', NOTE_TEXT, [
        { shortUrl: 'https://t.co/n2', expandedUrl: 'https://example.net/archives' },
      ]),
    ]),
    'data/tweets_media/100-FooBar1.jpg': 'jpeg',
    'data/tweets_media/104-clip.mp4': 'mp4',
    'data/direct_messages_media/5001-abc.jpg': 'jpeg',
    'data/direct-messages.js': ytd('direct_messages', [
      dmConversation(dmId, [
        messageCreate({
          id: '5003',
          senderId: FRIEND.id,
          recipientId: OWNER.id,
          time: '2023-02-01T10:02:00.000Z',
          text: 'look https://t.co/dm1',
          urls: [{ url: 'https://t.co/dm1', expanded: 'https://example.org/page' }],
        }),
        messageCreate({
          id: '5002',
          senderId: OWNER.id,
          recipientId: FRIEND.id,
          time: '2023-02-01T10:01:00.000Z',
          text: 'haha &amp; yes 😂',
          reactions: [{ senderId: FRIEND.id, reactionKey: 'like' }],
        }),
        messageCreate({
          id: '5001',
          senderId: FRIEND.id,
          recipientId: OWNER.id,
          time: '2023-02-01T10:00:00.000Z',
          text: 'photo! https://t.co/dmpic',
          urls: [{ url: 'https://t.co/dmpic', expanded: 'https://twitter.com/messages/media/5001' }],
          mediaUrls: ['https://ton.twitter.com/1.1/ton/data/dm/5001/5002/abc.jpg'],
        }),
      ]),
    ]),
    'data/direct-messages-group.js': ytd('direct_messages_group', [
      dmConversation('1555000000000000000', [
        { participantsLeave: { userIds: ['777'], createdAt: '2023-03-01T12:00:00.000Z' } },
        messageCreate({ id: '6003', senderId: OWNER.id, time: '2023-03-01T11:00:00.000Z', text: 'yo', reactions: [{ senderId: '888', reactionKey: 'emoji', emoji: '🎉' }] }),
        { conversationNameUpdate: { initiatingUserId: FRIEND.id, name: 'Weekend Crew', createdAt: '2023-03-01T10:30:00.000Z' } },
        { participantsJoin: { initiatingUserId: FRIEND.id, userIds: ['888'], createdAt: '2023-03-01T10:20:00.000Z' } },
        messageCreate({ id: '6001', senderId: '777', time: '2023-03-01T10:10:00.000Z', text: 'hi all' }),
        { joinConversation: { initiatingUserId: FRIEND.id, participantsSnapshot: [OWNER.id, FRIEND.id, '777'], createdAt: '2023-03-01T10:00:00.000Z' } },
      ]),
    ]),
  };
}
