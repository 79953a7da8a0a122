import { normalizeText, sortMessages, type Attachment, type Message } from '@alterego/core';
import { parseArchiveTime } from './created-at.js';
import { asArray, asId, asObject, asString } from './fields.js';
import { tweetMediaAttachments } from './media.js';
import { decodeHtmlEntities } from './html-entities.js';
import { readIndices, rewriteTweetText, type TextReplacement } from './tweet-text.js';

/** What the archive tells about another account: its @name and display name. */
export interface KnownUser {
  screenName?: string;
  name?: string;
}

interface TweetRecord {
  message: Message;
  time: number;
  inReplyTo?: string;
  /** The first version's id, for a tweet that is an edit of another. */
  editOf?: string;
}

interface NoteRecord {
  time: number;
  text: string;
}

/** What was gathered from all tweets and notes of an archive. */
export interface CollectedTweets {
  messages: Message[];
  /** Long tweets in note-tweet.js that matched no tweet. */
  unmatchedNotes: number;
}

const RETWEET = /^RT @\w+:/;
/** How far apart a note and its tweet may have been created. */
const NOTE_WINDOW_MS = 2000;

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** Whitespace collapsed, for comparing a truncated tweet with its note. */
function comparable(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The part of a truncated tweet's text that its note starts with. */
function truncatedStart(text: string): string {
  return comparable(
    text.replace(/(?:\s*https?:\/\/\S+)+\s*$/, '').replace(/(?:…|\.\.\.)$/, ''),
  ).slice(0, 60);
}

/**
 * Gathers the person's tweets, one at a time as the data files stream in, into the messages of
 * the `posts` conversation. Every tweet is the owner's. Text is decoded and its links expanded
 * as it is added; what needs all tweets (replies within the archive, edited versions, the long
 * text of note tweets) is settled in `finish`.
 */
export class TweetCollector {
  /** Accounts seen in mentions and replies, by id: names for direct-message participants. */
  readonly users = new Map<string, KnownUser>();
  private readonly tweets = new Map<string, TweetRecord>();
  private readonly notes: NoteRecord[] = [];

  constructor(
    private readonly ownerId: string,
    private readonly mediaFiles?: ReadonlyMap<string, string>,
  ) {}

  get size(): number {
    return this.tweets.size;
  }

  private learnUser(id: string | undefined, screenName: unknown, name: unknown): void {
    if (id === undefined) return;
    const known = this.users.get(id) ?? {};
    const handle = asString(screenName);
    const display = asString(name);
    if (handle) known.screenName = handle;
    if (display) known.name = normalizeText(decodeHtmlEntities(display));
    if (handle || display) this.users.set(id, known);
  }

  /**
   * Adds one item of a tweets file (`{ "tweet": { … } }`, or the bare tweet of the oldest
   * archives). Returns why it was skipped, or undefined.
   */
  addTweet(item: unknown): string | undefined {
    const wrapper = asObject(item);
    const tweet = asObject(wrapper?.tweet) ?? wrapper;
    if (!tweet) return 'an item is not a tweet object';
    const id = asId(tweet.id_str) ?? asId(tweet.id);
    if (id === undefined) return 'a tweet has no id_str';
    const time = parseArchiveTime(tweet.created_at);
    if (time === undefined) {
      return `tweet ${id} has no readable created_at (${JSON.stringify(tweet.created_at ?? null)}), expected a time like "Wed Oct 10 20:19:24 +0000 2018"`;
    }
    // tweet.js and tweets.js in one archive, or a part given twice: the first copy counts.
    if (this.tweets.has(id)) return undefined;

    const entities = asObject(tweet.entities);
    const extended = asObject(tweet.extended_entities);
    for (const mention of asArray(entities?.user_mentions)) {
      const record = asObject(mention);
      if (record)
        this.learnUser(asId(record.id_str) ?? asId(record.id), record.screen_name, record.name);
    }
    this.learnUser(
      asId(tweet.in_reply_to_user_id_str) ?? asId(tweet.in_reply_to_user_id),
      tweet.in_reply_to_screen_name,
      undefined,
    );

    const raw = asString(tweet.full_text) ?? asString(tweet.text) ?? '';
    const media =
      asArray(extended?.media).length > 0 ? asArray(extended?.media) : asArray(entities?.media);
    const attachments: Attachment[] = tweetMediaAttachments(media, id, this.mediaFiles);
    const replacements: TextReplacement[] = [];
    for (const url of asArray(entities?.urls)) {
      const record = asObject(url);
      const find = asString(record?.url);
      if (!record || !find) continue;
      replacements.push({
        indices: record.indices,
        find,
        replace: asString(record.expanded_url) ?? find,
      });
    }
    const mediaLinks = new Set<string>();
    for (const item of [...asArray(entities?.media), ...asArray(extended?.media)]) {
      const record = asObject(item);
      const find = asString(record?.url);
      if (!record || !find || mediaLinks.has(find)) continue;
      mediaLinks.add(find);
      replacements.push({ indices: record.indices, find, replace: '' });
    }

    const repost = tweet.retweeted === true || RETWEET.test(raw);
    let text = '';
    if (!repost) {
      const prefixEnd = readIndices(tweet.display_text_range)?.[0] ?? 0;
      text = normalizeText(rewriteTweetText(raw, replacements, prefixEnd));
      // A reply that is nothing but its mentions: keep them rather than lose the tweet.
      if (text === '' && attachments.length === 0 && prefixEnd > 0) {
        text = normalizeText(rewriteTweetText(raw, replacements, 0));
      }
      if (text.trim() === '' && attachments.length === 0)
        return `tweet ${id} has no text and no media`;
    }
    const message: Message = {
      id,
      senderId: this.ownerId,
      time: iso(time),
      type: repost ? 'repost' : text.trim() === '' ? 'media' : 'text',
      text,
    };
    if (attachments.length > 0) message.attachments = attachments;
    const record: TweetRecord = { message, time };
    const inReplyTo = asId(tweet.in_reply_to_status_id_str) ?? asId(tweet.in_reply_to_status_id);
    if (inReplyTo !== undefined && inReplyTo !== id) record.inReplyTo = inReplyTo;
    const editOf = asId(asObject(asObject(tweet.edit_info)?.edit)?.initialTweetId);
    if (editOf !== undefined && editOf !== id) record.editOf = editOf;
    this.tweets.set(id, record);
    return undefined;
  }

  /** Adds one item of note-tweet.js (`{ "noteTweet": { createdAt, core: { text, urls } } }`). */
  addNote(item: unknown): string | undefined {
    const note = asObject(asObject(item)?.noteTweet) ?? asObject(item);
    const core = asObject(note?.core);
    const raw = asString(core?.text);
    if (!note || !core || raw === undefined) return 'an item of note-tweet.js has no core.text';
    const time = parseArchiveTime(note.createdAt);
    if (time === undefined) {
      return `note tweet ${asId(note.noteTweetId) ?? '(no id)'} has no readable createdAt`;
    }
    const replacements: TextReplacement[] = [];
    for (const url of asArray(core.urls)) {
      const record = asObject(url);
      const find = asString(record?.shortUrl) ?? asString(record?.url);
      const replace =
        asString(record?.expandedUrl) ??
        asString(record?.expanded_url) ??
        asString(record?.expanded);
      if (find && replace) replacements.push({ find, replace });
    }
    this.notes.push({ time, text: normalizeText(rewriteTweetText(raw, replacements)) });
    return undefined;
  }

  /** Collapses edited versions into one message each. Returns each dropped version's kept id. */
  private collapseEdits(): Map<string, string> {
    const aliases = new Map<string, string>();
    const groups = new Map<string, TweetRecord[]>();
    for (const record of this.tweets.values()) {
      if (record.editOf === undefined) continue;
      const versions = groups.get(record.editOf) ?? [];
      versions.push(record);
      groups.set(record.editOf, versions);
    }
    for (const [initialId, edits] of groups) {
      const initial = this.tweets.get(initialId);
      const versions = initial ? [initial, ...edits] : edits;
      let latest = versions[0]!;
      for (const version of versions) if (version.time >= latest.time) latest = version;
      const keptId = initial ? initialId : latest.message.id;
      const kept: TweetRecord = {
        ...latest,
        message: {
          ...latest.message,
          id: keptId,
          time: (initial ?? latest).message.time,
          edited: true,
        },
        time: (initial ?? latest).time,
        inReplyTo: (initial ?? latest).inReplyTo,
      };
      delete kept.editOf;
      for (const version of versions) {
        this.tweets.delete(version.message.id);
        if (version.message.id !== keptId) aliases.set(version.message.id, keptId);
      }
      this.tweets.set(keptId, kept);
    }
    return aliases;
  }

  /** Gives long tweets their full text from note-tweet.js; returns how many notes matched none. */
  private restoreNotes(): number {
    if (this.notes.length === 0) return 0;
    const bySecond = new Map<number, TweetRecord[]>();
    for (const record of this.tweets.values()) {
      if (record.message.type === 'repost') continue;
      const second = Math.floor(record.time / 1000);
      const list = bySecond.get(second) ?? [];
      list.push(record);
      bySecond.set(second, list);
    }
    const used = new Set<TweetRecord>();
    let unmatched = 0;
    for (const note of this.notes) {
      const candidates: TweetRecord[] = [];
      const first = Math.floor((note.time - NOTE_WINDOW_MS) / 1000);
      const last = Math.floor((note.time + NOTE_WINDOW_MS) / 1000);
      for (let second = first; second <= last; second += 1) {
        for (const record of bySecond.get(second) ?? [])
          if (!used.has(record)) candidates.push(record);
      }
      const noteText = comparable(note.text);
      const match =
        candidates.find((record) => {
          const start = truncatedStart(record.message.text);
          return start !== '' && noteText.startsWith(start);
        }) ??
        (candidates.length === 1 && Math.abs(candidates[0]!.time - note.time) < 1000
          ? candidates[0]
          : undefined);
      if (!match) {
        unmatched += 1;
        continue;
      }
      used.add(match);
      match.message.text = note.text;
      match.message.type = 'text';
    }
    return unmatched;
  }

  /** The messages of the posts conversation, ascending by time. */
  finish(): CollectedTweets {
    const aliases = this.collapseEdits();
    const unmatchedNotes = this.restoreNotes();
    const messages: Message[] = [];
    for (const record of this.tweets.values()) {
      if (record.inReplyTo !== undefined) {
        const target = aliases.get(record.inReplyTo) ?? record.inReplyTo;
        if (target !== record.message.id && this.tweets.has(target))
          record.message.replyTo = target;
      }
      messages.push(record.message);
    }
    return { messages: sortMessages(messages), unmatchedNotes };
  }
}
