import { type Conversation, type Message, zoneOffset } from '@alterego/core';
import { countTextTokens } from '@alterego/dataset';

/** Counts shared by the whole run, one source and one chat. */
export interface Counts {
  /** Every message, system lines included. */
  messages: number;
  /** Sent by the person (the participant marked `self`). */
  mine: number;
  /** `mine / messages`, 0 when there are none; rounded to 4 decimals. */
  myShare: number;
  /** Messages of type `text`. */
  text: number;
  /** Photos, videos, voice notes, files and stickers. */
  media: number;
  /** o200k_base tokens of the person's own text messages. */
  myTextTokens: number;
  /** The first and last message's local date (YYYY-MM-DD in the time zone), null without messages. */
  first: string | null;
  last: string | null;
}

export interface ChatStats extends Counts {
  id: string;
  title: string;
  platform: string;
  kind: string;
  /** The input it came from, as the user gave it. */
  source: string;
  participants: number;
}

export interface SourceStats extends Counts {
  path: string;
  formats: string[];
  platforms: string[];
  chats: number;
}

/** Everything `stats` reports. */
export interface Stats {
  timeZone: string;
  totals: Counts & { chats: number; sources: number };
  sources: SourceStats[];
  /** Most messages first. */
  chats: ChatStats[];
}

/** Activity over time, for the report's charts. */
export interface Activity {
  /** Platforms in the order their stacks are drawn (most messages first). */
  platforms: string[];
  /** Every month from the first to the last message (YYYY-MM), with messages per platform. */
  months: { month: string; counts: Record<string, number> }[];
  /** Weekday (0 = Monday) × hour (0–23): the person's messages, local time. */
  hours: number[][];
  /** Whether `hours` counts everyone's messages because none are marked as the person's. */
  hoursOfEveryone: boolean;
  /** Length in characters of the person's text messages. */
  replyLengths: { label: string; min: number; max: number | null; count: number }[];
  /** Median length in characters of the person's text messages, 0 when there are none. */
  medianReplyChars: number;
}

const MEDIA_TYPES = new Set<Message['type']>(['media', 'sticker']);
const LENGTH_BUCKETS: [number, number | null][] = [
  [1, 5],
  [6, 10],
  [11, 20],
  [21, 40],
  [41, 80],
  [81, 160],
  [161, 320],
  [321, null],
];
const QUARTER_HOUR = 15 * 60 * 1000;

function emptyCounts(): Counts {
  return {
    messages: 0,
    mine: 0,
    myShare: 0,
    text: 0,
    media: 0,
    myTextTokens: 0,
    first: null,
    last: null,
  };
}

function addCounts(target: Counts, add: Counts): void {
  target.messages += add.messages;
  target.mine += add.mine;
  target.text += add.text;
  target.media += add.media;
  target.myTextTokens += add.myTextTokens;
  if (add.first !== null && (target.first === null || add.first < target.first))
    target.first = add.first;
  if (add.last !== null && (target.last === null || add.last > target.last)) target.last = add.last;
}

function share(counts: Counts): void {
  counts.myShare =
    counts.messages === 0 ? 0 : Math.round((counts.mine / counts.messages) * 1e4) / 1e4;
}

interface LocalTime {
  date: string;
  month: string;
  /** 0 = Monday. */
  weekday: number;
  hour: number;
}

/**
 * Collects statistics over a stream of conversations, one at a time, keeping only counts: the
 * same numbers for `alterego stats` and `alterego report`.
 */
export class StatsCollector {
  readonly #timeZone: string;
  readonly #sources = new Map<string, SourceStats>();
  readonly #chats: ChatStats[] = [];
  readonly #months = new Map<string, Record<string, number>>();
  readonly #platformTotals = new Map<string, number>();
  readonly #hours: number[][] = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  readonly #everyoneHours: number[][] = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  readonly #lengths = new Map<number, number>();
  readonly #local = new Map<number, LocalTime>();
  readonly #selfNames = new Map<string, number>();

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  /** Local date, month, weekday and hour of an instant, cached per quarter hour. */
  #localTime(iso: string): LocalTime {
    const instant = Date.parse(iso);
    const key = Math.floor(instant / QUARTER_HOUR);
    let local = this.#local.get(key);
    if (!local) {
      const wall = new Date(instant + zoneOffset(this.#timeZone, instant));
      const date = wall.toISOString().slice(0, 10);
      local = {
        date,
        month: date.slice(0, 7),
        weekday: (wall.getUTCDay() + 6) % 7,
        hour: wall.getUTCHours(),
      };
      if (this.#local.size > 200_000) this.#local.clear();
      this.#local.set(key, local);
    }
    return local;
  }

  /** Adds a source (an input as the user gave it) so that it is listed even without chats. */
  source(path: string): SourceStats {
    let source = this.#sources.get(path);
    if (!source) {
      source = { path, formats: [], platforms: [], chats: 0, ...emptyCounts() };
      this.#sources.set(path, source);
    }
    return source;
  }

  add(conversation: Conversation, sourcePath: string, format: string): ChatStats {
    const source = this.source(sourcePath);
    if (!source.formats.includes(format)) source.formats.push(format);
    if (!source.platforms.includes(conversation.platform))
      source.platforms.push(conversation.platform);
    const selfParticipant = conversation.participants.find((participant) => participant.self);
    const self = selfParticipant?.id;
    if (selfParticipant) {
      this.#selfNames.set(
        selfParticipant.name,
        (this.#selfNames.get(selfParticipant.name) ?? 0) + conversation.messages.length,
      );
    }
    const chat: ChatStats = {
      id: conversation.id,
      title: conversation.title ?? chatTitle(conversation),
      platform: conversation.platform,
      kind: conversation.kind,
      source: sourcePath,
      participants: conversation.participants.length,
      ...emptyCounts(),
    };
    const platform = conversation.platform;
    for (const message of conversation.messages) {
      const local = this.#localTime(message.time);
      chat.messages += 1;
      if (chat.first === null) chat.first = local.date;
      chat.last = local.date;
      if (message.type === 'text') chat.text += 1;
      else if (MEDIA_TYPES.has(message.type)) chat.media += 1;
      let month = this.#months.get(local.month);
      if (!month) {
        month = {};
        this.#months.set(local.month, month);
      }
      month[platform] = (month[platform] ?? 0) + 1;
      this.#everyoneHours[local.weekday]![local.hour]! += 1;
      if (self === undefined || message.senderId !== self) continue;
      chat.mine += 1;
      this.#hours[local.weekday]![local.hour]! += 1;
      if (message.type === 'text' && message.text.length > 0) {
        chat.myTextTokens += countTextTokens(message.text);
        const length = [...message.text].length;
        this.#lengths.set(length, (this.#lengths.get(length) ?? 0) + 1);
      }
    }
    share(chat);
    this.#platformTotals.set(platform, (this.#platformTotals.get(platform) ?? 0) + chat.messages);
    source.chats += 1;
    addCounts(source, chat);
    share(source);
    this.#chats.push(chat);
    return chat;
  }

  /** The name the person has in most messages, undefined when nobody is marked as them. */
  selfName(): string | undefined {
    return [...this.#selfNames.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  stats(): Stats {
    const totals = { ...emptyCounts(), chats: this.#chats.length, sources: this.#sources.size };
    for (const source of this.#sources.values()) addCounts(totals, source);
    share(totals);
    const chats = [...this.#chats].sort(
      (a, b) => b.messages - a.messages || b.mine - a.mine || a.title.localeCompare(b.title),
    );
    return { timeZone: this.#timeZone, totals, sources: [...this.#sources.values()], chats };
  }

  activity(): Activity {
    const platforms = [...this.#platformTotals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([platform]) => platform);
    const keys = [...this.#months.keys()].sort();
    const months: Activity['months'] = [];
    if (keys.length > 0) {
      let [year, month] = keys[0]!.split('-').map(Number) as [number, number];
      const last = keys.at(-1)!;
      for (;;) {
        const key = `${year}-${String(month).padStart(2, '0')}`;
        months.push({ month: key, counts: { ...this.#months.get(key) } });
        if (key >= last) break;
        month += 1;
        if (month > 12) {
          month = 1;
          year += 1;
        }
      }
    }
    const mine = this.#hours.some((row) => row.some((count) => count > 0));
    const lengths = [...this.#lengths.entries()].sort((a, b) => a[0] - b[0]);
    const replyLengths = LENGTH_BUCKETS.map(([min, max]) => ({
      label: max === null ? `${min}+` : min === max ? `${min}` : `${min}–${max}`,
      min,
      max,
      count: lengths
        .filter(([length]) => length >= min && (max === null || length <= max))
        .reduce((sum, [, count]) => sum + count, 0),
    }));
    return {
      platforms,
      months,
      hours: (mine ? this.#hours : this.#everyoneHours).map((row) => [...row]),
      hoursOfEveryone: !mine,
      replyLengths,
      medianReplyChars: median(lengths),
    };
  }
}

/** A chat without a title: the other people's names. */
function chatTitle(conversation: Conversation): string {
  const others = conversation.participants
    .filter((participant) => !participant.self)
    .map((participant) => participant.name);
  return others.length > 0 ? others.join(', ') : conversation.id;
}

function median(sorted: [number, number][]): number {
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (const [length, count] of sorted) {
    seen += count;
    if (seen * 2 >= total) return length;
  }
  return sorted.at(-1)![0];
}
