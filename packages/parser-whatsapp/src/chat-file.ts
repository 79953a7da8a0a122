import { createHash } from 'node:crypto';
import {
  CONVERSATION_SCHEMA_ID,
  createIdentityMatcher,
  nameKey,
  normalizeText,
  phoneKey,
  stripDirectionMarks,
  zonedTimeToInstant,
  zoneOffset,
  type Conversation,
  type Message,
  type Participant,
  type ParseWarning,
} from '@alterego/core';
import { fullYear, inferDateOrder, type RawDate } from './day-order.js';
import { isUsStyle, parseHeader, type Header } from './header.js';
import { createIsoFormatter } from './iso-time.js';
import { isEvent, isNotice, isSystemSentence, readBody, type BodyReading } from './markers.js';

export const FORMAT = 'whatsapp';

/** How many message headers are read before the file's header shape is settled. */
const SHAPE_SAMPLE = 64;

export interface ChatFileOptions {
  /** The file as the user would write it, for warnings. */
  file: string;
  /** The file relative to the input, for `source.file`. */
  sourceFile: string;
  /** The chat's name from the export's file name (`WhatsApp Chat with Alex.txt`), if any. */
  title: string | undefined;
  timeZone: string;
  me: readonly string[];
  dayFirst: boolean | undefined;
}

/**
 * Reads one chat file line by line and builds its Conversation. Lines are fed in order; the
 * conversation is built at the end, once the whole file has said which number is the day.
 */
export class ChatFileReader {
  readonly #options: ChatFileOptions;
  readonly #warnings: ParseWarning[] = [];
  // Messages as read, before the file's day order is known: one column per field, which keeps
  // a million messages out of the garbage collector's way.
  /** 1-based line of each message's header. */
  readonly #lines: number[] = [];
  /** Index into #dates. */
  readonly #dateOf: number[] = [];
  /** Seconds since midnight. */
  readonly #clocks: number[] = [];
  /** Null for a line without `Name: `. */
  readonly #authorOf: (string | null)[] = [];
  readonly #bodies: string[] = [];
  readonly #dates: RawDate[] = [];
  readonly #dateIndex = new Map<number, number>();
  /** Authors interned, so a million lines by two people hold two strings. */
  readonly #authors = new Map<string, string>();
  /** Lines held back until the header shape of the file is known. */
  #pending: { line: number; text: string; header: Header | undefined }[] | undefined = [];
  #pendingHeaders = 0;
  #signature: number | undefined;
  #lineNumber = 0;
  /** Continuation lines of the last message. */
  #currentBody: string[] = [];
  #orphanLines = 0;
  #firstOrphan = 0;
  #firstLine: string | undefined;

  constructor(options: ChatFileOptions) {
    this.#options = options;
  }

  /** Feeds the next lines of the file. */
  push(lines: readonly string[]): void {
    for (const text of lines) {
      this.#lineNumber += 1;
      const header = parseHeader(text);
      if (this.#pending !== undefined) {
        this.#pending.push({ line: this.#lineNumber, text, header });
        if (header !== undefined) {
          this.#pendingHeaders += 1;
          if (this.#pendingHeaders >= SHAPE_SAMPLE) this.#settleShape();
        }
        continue;
      }
      this.#take(this.#lineNumber, text, header);
    }
  }

  /** Picks the header shape most lines share; headers of another shape are message text. */
  #settleShape(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    const counts = new Map<number, number>();
    for (const { header } of pending) {
      if (header) counts.set(header.signature, (counts.get(header.signature) ?? 0) + 1);
    }
    let best = 0;
    for (const [signature, count] of counts) {
      if (count > best) {
        best = count;
        this.#signature = signature;
      }
    }
    for (const { line, text, header } of pending) this.#take(line, text, header);
  }

  #take(line: number, text: string, header: Header | undefined): void {
    if (
      header !== undefined &&
      header.signature === this.#signature &&
      !this.#looksPasted(header)
    ) {
      this.#startMessage(line, text, header);
      return;
    }
    if (this.#lines.length === 0) {
      if (text.trim() !== '') {
        if (this.#orphanLines === 0) this.#firstOrphan = line;
        this.#orphanLines += 1;
      }
      return;
    }
    this.#currentBody.push(text);
  }

  /**
   * A line inside a message that only looks like a new one: a chat line pasted into a message
   * has no author WhatsApp would write and no system sentence, and its time goes back within
   * the same day. (A real message out of order keeps its author, and is sorted later.)
   */
  #looksPasted(header: Header): boolean {
    const last = this.#lines.length - 1;
    if (last < 0) return false;
    const previousDate = this.#dates[this.#dateOf[last]!]!.parts;
    if (
      previousDate[0] !== header.date[0] ||
      previousDate[1] !== header.date[1] ||
      previousDate[2] !== header.date[2]
    ) {
      return false;
    }
    if (header.hour * 3600 + header.minute * 60 + header.second >= this.#clocks[last]!)
      return false;
    return splitAuthor(header.rest).author === null && !isSystemSentence(header.rest);
  }

  #startMessage(line: number, text: string, header: Header): void {
    this.#closeMessage();
    this.#firstLine ??= stripDirectionMarks(text);
    const dateKey = (header.date[0] * 10_000 + header.date[1]) * 10_000 + header.date[2];
    let date = this.#dateIndex.get(dateKey);
    if (date === undefined) {
      date = this.#dates.length;
      this.#dates.push({ parts: header.date });
      this.#dateIndex.set(dateKey, date);
    }
    const { author, body } = splitAuthor(header.rest);
    let interned: string | null = null;
    if (author !== null) {
      interned = this.#authors.get(author) ?? null;
      if (interned === null) {
        interned = author;
        this.#authors.set(author, author);
      }
    }
    this.#lines.push(line);
    this.#dateOf.push(date);
    this.#clocks.push(header.hour * 3600 + header.minute * 60 + header.second);
    this.#authorOf.push(interned);
    this.#bodies.push(body);
  }

  /** Joins the continuation lines of the last message to it. */
  #closeMessage(): void {
    if (this.#currentBody.length === 0) return;
    const last = this.#bodies.length - 1;
    this.#bodies[last] = `${this.#bodies[last]!}\n${this.#currentBody.join('\n')}`;
    this.#currentBody = [];
  }

  /** Builds the conversation, or undefined when the file held no message at all. */
  finish(): { conversation: Conversation | undefined; warnings: ParseWarning[] } {
    if (this.#pending !== undefined) this.#settleShape();
    this.#closeMessage();
    if (this.#orphanLines > 0) {
      this.#warn({
        line: this.#firstOrphan,
        ruleId: `${FORMAT}:text-before-first-message`,
        reason: `${this.#orphanLines} line(s) before the first message have no date and time; skipped`,
      });
    }
    if (this.#lines.length === 0) return { conversation: undefined, warnings: this.#warnings };

    const decision = inferDateOrder(this.#dates, {
      dayFirst: this.#options.dayFirst,
      // 12-hour clocks with slashes are the United States' month-first; most others are day-first.
      fallbackDayFirst: !(this.#signature !== undefined && isUsStyle(this.#signature)),
    });
    if (decision.reason === 'default') {
      this.#warn({
        ruleId: `${FORMAT}:day-order-assumed`,
        reason: `the dates in this chat fit both day/month and month/day; read them as ${
          decision.order.day === 0 ? 'day/month' : 'month/day'
        } (pass dayFirst, or --day-first / --month-first, to choose)`,
        skipped: false,
      });
    }
    const { order } = decision;
    const zone = this.#options.timeZone;
    /** Each distinct date, or undefined when it is not a real date. */
    const calendar = this.#dates.map(({ parts }) =>
      localDay(parts[order.year], parts[order.month], parts[order.day], zone),
    );

    const title = this.#options.title;
    const titleKey = title === undefined ? undefined : nameKey(title);
    const authorInfo = new Map<string, AuthorInfo>();
    for (const author of this.#authors.keys()) {
      authorInfo.set(author, {
        key: nameKey(author),
        lower: stripDirectionMarks(author).replace(/^~\s*/, '').toLowerCase(),
        senderId: undefined,
      });
    }
    const names = [...authorInfo.values()]
      .filter((info) => info.key !== titleKey)
      .map((info) => `${info.lower} `);
    const participants = new Map<string, Participant>();
    const messages: Message[] = [];
    const instants: number[] = [];
    const iso = createIsoFormatter();
    let groupSignals = 0;
    let badDates = 0;
    let firstBadDate = 0;
    let newTitle: string | undefined;
    const lines = this.#lines;
    const clocks = this.#clocks;
    const bodies = this.#bodies;
    const authors = this.#authorOf;
    for (let index = 0; index < lines.length; index += 1) {
      const day = calendar[this.#dateOf[index]!];
      const clock = clocks[index]!;
      const body = bodies[index]!;
      const rawAuthor = authors[index]!;
      if (day === undefined) {
        if (badDates === 0) firstBadDate = lines[index]!;
        badDates += 1;
        continue;
      }
      const instant =
        day.offset === undefined
          ? zonedTimeToInstant(
              {
                year: day.year,
                month: day.month,
                day: day.day,
                hour: Math.floor(clock / 3600),
                minute: Math.floor(clock / 60) % 60,
                second: clock % 60,
              },
              zone,
            )
          : day.midnight + clock * 1000 - day.offset;
      const time = iso(instant);
      instants.push(instant);
      const id = String(lines[index]);
      const author = rawAuthor === null ? undefined : authorInfo.get(rawAuthor)!;
      // iOS marks system text with a direction mark, and placeholders too: read those once.
      let reading: BodyReading | undefined =
        author !== undefined && body.charCodeAt(0) === 0x200e && body.length <= MAX_SYSTEM_LENGTH
          ? readBody(body)
          : undefined;
      const system =
        author === undefined ||
        (reading === undefined
          ? isSystemLine(author, body, titleKey, names)
          : reading.type === 'text' && stripDirectionMarks(body).trim() !== '');
      if (system) {
        const text = normalizeText(body).trim();
        if (GROUP_SIGNAL.test(text)) groupSignals += 1;
        newTitle = groupName(text) ?? newTitle;
        messages.push({ id, senderId: null, time, type: 'system', text });
        continue;
      }
      reading ??= readBody(body);
      author!.senderId ??= this.#participant(participants, rawAuthor!);
      const message: Message = {
        id,
        senderId: author!.senderId,
        time,
        type: reading.type,
        text: normalizeText(reading.text),
      };
      if (reading.attachments) message.attachments = reading.attachments;
      if (reading.edited) message.edited = true;
      messages.push(message);
    }
    if (badDates > 0) {
      this.#warn({
        line: firstBadDate,
        ruleId: `${FORMAT}:bad-date`,
        reason: `${badDates} message(s) have a date that does not exist when read as ${
          order.year === 0
            ? 'year/month/day'
            : order.day === 0
              ? 'day/month/year'
              : 'month/day/year'
        }; skipped`,
      });
    }

    const people = [...participants.values()];
    this.#markSelf(people, messages);
    const kind = groupSignals > 0 || people.length > 2 ? 'group' : 'direct';
    const chatTitle =
      kind === 'group'
        ? (newTitle ?? title ?? null)
        : (title ?? people.find((person) => !person.self)?.name ?? null);
    const key = `${title ?? ''}\n${this.#firstLine ?? ''}`;
    const conversation: Conversation = {
      schema: CONVERSATION_SCHEMA_ID,
      id: `whatsapp:${createHash('sha256').update(key).digest('hex').slice(0, 20)}`,
      platform: 'whatsapp',
      kind,
      title: chatTitle === null ? null : normalizeText(chatTitle),
      participants: people,
      messages: inTimeOrder(messages, instants),
      source: { format: FORMAT, file: this.#options.sourceFile },
    };
    return { conversation, warnings: this.#warnings };
  }

  #participant(participants: Map<string, Participant>, author: string): string {
    const name = normalizeText(author).trim();
    const id = name.replace(/^~\s*/, '') || name;
    if (!participants.has(id)) {
      const phone = phoneKey(id);
      participants.set(id, { id, name: id, ...(phone ? { handles: [phone] } : {}), self: false });
    }
    return id;
  }

  /** Marks the person who exported the chat from `--me`; at most one participant. */
  #markSelf(people: Participant[], messages: readonly Message[]): void {
    const matcher = createIdentityMatcher(this.#options.me);
    const matched = matcher.empty ? [] : people.filter((person) => matcher.matches(person));
    if (matched.length > 1) {
      // Several people match (`--me Sam` in a chat with two Sams): the one who wrote most.
      const counts = new Map<string, number>();
      for (const message of messages) {
        if (message.senderId !== null)
          counts.set(message.senderId, (counts.get(message.senderId) ?? 0) + 1);
      }
      matched.sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0));
      this.#warn({
        ruleId: `${FORMAT}:several-self`,
        reason: `${matched.map((person) => `"${person.name}"`).join(', ')} all match --me; marked "${matched[0]!.name}" as you`,
        skipped: false,
      });
    }
    if (matched[0]) {
      matched[0].self = true;
      return;
    }
    this.#warn({
      ruleId: `${FORMAT}:no-self`,
      reason: matcher.empty
        ? 'no --me given, so no participant is marked as you (pass --me with your name as this chat shows it)'
        : `none of ${people.map((person) => `"${person.name}"`).join(', ')} matches --me; no participant is marked as you`,
      skipped: false,
    });
  }

  #warn(warning: Omit<ParseWarning, 'file' | 'source'>): void {
    this.#warnings.push({ file: this.#options.file, source: FORMAT, ...warning });
  }
}

/** Words in system lines that only happen in groups. */
const GROUP_SIGNAL =
  /\b(?:created group|added|removed|left|this group|group name|changed the subject|invite link|admin)\b|Gruppe|grupo|groupe|gruppo/i;

/** The group's name from "X created group “Name”" or "X changed the subject to “Name”". */
function groupName(text: string): string | undefined {
  const match =
    /(?:created group|changed the (?:subject|group name)(?: from .+?)? to) ["“«](.+)["”»]$/i.exec(
      text,
    );
  return match?.[1];
}

/**
 * Splits `Name: text`. Android system lines have no author; one whose text happens to hold
 * ": " (`Alice changed the subject to "a: b"`) is told apart by reading as a system sentence
 * and by an author too long to be a name.
 */
function splitAuthor(rest: string): { author: string | null; body: string } {
  const colon = rest.indexOf(': ');
  if (colon <= 0) {
    // "Name:" with an empty body (disappearing messages) still has an author.
    if (rest.endsWith(':') && !rest.includes(' ', Math.max(0, rest.length - 2))) {
      return { author: rest.slice(0, -1), body: '' };
    }
    return { author: null, body: rest };
  }
  const author = rest.slice(0, colon);
  if (
    author.length > 80 ||
    (author.indexOf(' ') !== author.lastIndexOf(' ') && isSystemSentence(rest))
  ) {
    return { author: null, body: rest };
  }
  return { author, body: rest.slice(colon + 2) };
}

/** Longer attributed lines are never system text. */
const MAX_SYSTEM_LENGTH = 400;

/**
 * An attributed line without a direction mark that is really system text (iOS since 2024): a
 * notice, or an event sentence ("Boris added you") attributed to the chat itself, or told by the
 * person it names ("Boris: Boris created group …"). An event sentence a person typed ("I added
 * the photos") stays text: it names neither. Marked lines are read in `finish`.
 */
function isSystemLine(
  author: AuthorInfo,
  body: string,
  titleKey: string | undefined,
  names: readonly string[],
): boolean {
  if (body.length > MAX_SYSTEM_LENGTH) return false;
  if (isNotice(body)) return true;
  const lower = body.toLowerCase();
  if (author.key === titleKey) {
    if (!lower.startsWith('you') && !names.some((name) => lower.startsWith(name))) return false;
  } else if (!lower.startsWith(`${author.lower} `)) {
    return false;
  }
  return isEvent(body);
}

interface AuthorInfo {
  key: string;
  /** Lower-cased, without a leading `~ `. */
  lower: string;
  /** The participant id, once the author has written a message. */
  senderId: string | undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DAY = 86_400_000;

interface LocalDay {
  year: number;
  month: number;
  day: number;
  /** The day's wall-clock midnight as if it were UTC. */
  midnight: number;
  /** The zone's offset all day long; undefined on a day the clocks change. */
  offset: number | undefined;
}

/** A date in the zone, or undefined when it is not a real date (31 February). */
function localDay(
  yearValue: number,
  month: number,
  day: number,
  zone: string,
): LocalDay | undefined {
  const year = fullYear(yearValue);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const midnight = Date.UTC(year, month - 1, day);
  // The local day lies within a day either side of its UTC midnight: when the offset is the
  // same on both sides, and in the middle, no change happens that day.
  const before = zoneOffset(zone, midnight - DAY);
  const constant =
    before === zoneOffset(zone, midnight + 2 * DAY) &&
    before === zoneOffset(zone, midnight + DAY / 2 - before);
  return { year, month, day, midnight, offset: constant ? before : undefined };
}

/** Messages in time order, file order kept for equal times; no sort at all when already in order. */
function inTimeOrder(messages: Message[], instants: readonly number[]): Message[] {
  let sorted = true;
  for (let index = 1; index < instants.length; index += 1) {
    if (instants[index]! < instants[index - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return messages;
  const order = Array.from(instants.keys()).sort((a, b) => instants[a]! - instants[b]! || a - b);
  return order.map((index) => messages[index]!);
}
