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
import { createHeaderFields, isUsStyle, parseHeader, readHeader } from './header.js';
import { createIsoFormatter } from './iso-time.js';
import {
  isEvent,
  isNotice,
  isSystemSentence,
  readBody,
  readsAsPlainText,
  startsLikeNotice,
  type BodyReading,
} from './markers.js';
import { isCommonText } from './plain-text.js';

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

/** A column of 32-bit integers twice as long, its values kept. */
function grown(column: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(column.length * 2);
  next.set(column);
  return next;
}

/** A column of bytes twice as long, its values kept. */
function grownBytes(column: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(column.length * 2);
  next.set(column);
  return next;
}

// What a body turned out to be as it was kept (see #closeMessage).
/** Plain text by its author: the message is its author, its time and the body as it is. */
const KIND_PLAIN = 1;
/** Common text (`isCommonText`) with something to read: a marker, a placeholder, a call. */
const KIND_COMMON = 2;
/** Anything else, which gets every check. */
const KIND_READ = 3;

/** A key for interned authors: length and first character. */
function authorKey(text: string, start: number, end: number): number {
  return end === start ? 0 : (end - start) * 0x10000 + text.charCodeAt(start);
}

/**
 * Reads one chat file and builds its Conversation. The file's bytes are fed in order, in chunks
 * of any size; the conversation is built at the end, once the whole file has said which number
 * is the day. Lines are read in place in the decoded text: a line becomes a string of its own
 * only where a message body is kept.
 */
export class ChatFileReader {
  readonly #options: ChatFileOptions;
  readonly #warnings: ParseWarning[] = [];
  /** UTF-8, a character split across chunks decoded whole, a leading byte-order mark dropped. */
  readonly #decoder = new TextDecoder();
  readonly #header = createHeaderFields();
  // Messages as read, before the file's day order is known: one column per field, which keeps
  // a million messages out of the garbage collector's way.
  #count = 0;
  /** 1-based line of each message's header. */
  #lineOf = new Int32Array(1024);
  /** Index into #dates. */
  #dateOf = new Int32Array(1024);
  /** Seconds since midnight. */
  #clockOf = new Int32Array(1024);
  /** Index into #authors; -1 for a line without `Name: `. */
  #authorOf = new Int32Array(1024);
  /** 1 for a body of several lines. */
  #multiline = new Uint8Array(1024);
  /** What reading each body as it was kept found: a KIND_* value, 0 where `finish` decides. */
  #kinds = new Uint8Array(1024);
  readonly #bodies: string[] = [];
  readonly #dates: RawDate[] = [];
  readonly #dateIndex = new Map<number, number>();
  #lastDateKey = -1;
  #lastDate = -1;
  /** Authors interned, so a million lines by two people hold two strings. */
  readonly #authors: string[] = [];
  /** Whether each author has two spaces or more, which makes a system sentence possible. */
  readonly #authorSpaced: boolean[] = [];
  readonly #authorInfo: AuthorInfo[] = [];
  readonly #titleKey: string | undefined;
  /** Author indexes by length and first character. */
  readonly #authorIndex = new Map<number, number[]>();
  // The body of the last message: `#bodyHead` (lines already joined, if any) and the range
  // `#bodyStart`-`#bodyEnd` of the text `#bodySource`, line breaks included.
  #bodyOpen = false;
  #bodySource = '';
  #bodySourceId = 0;
  #bodyStart = 0;
  #bodyEnd = 0;
  #bodyLines = 0;
  #bodyHead: string | undefined;
  /** Pieces of a line that the text read so far has not finished. */
  #carry: string[] = [];
  /** The last text ended in `\r`: a `\n` starting the next is the same line break. */
  #skipLf = false;
  #sawCr = false;
  /** Numbers each text the lines are read in, so that a body knows where it lies. */
  #sources = 0;
  #lineNumber = 0;
  /** Lines held back until the header shape of the file is known, with their signatures. */
  #pending: string[] | undefined = [];
  readonly #pendingSignatures: (number | undefined)[] = [];
  #pendingHeaders = 0;
  #signature: number | undefined;
  #orphanLines = 0;
  #firstOrphan = 0;
  #firstLine: string | undefined;

  constructor(options: ChatFileOptions) {
    this.#options = options;
    this.#titleKey = options.title === undefined ? undefined : nameKey(options.title);
  }

  /** Feeds the next bytes of the file. */
  write(chunk: Uint8Array): void {
    this.#read(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Splits decoded text into lines: `\n`, `\r\n` and a lone `\r` each end one. */
  #read(text: string): void {
    const length = text.length;
    if (length === 0) return;
    const source = ++this.#sources;
    let pos = 0;
    if (this.#skipLf) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === 0x0a) pos = 1;
    }
    let cr = text.indexOf('\r', pos);
    if (cr !== -1) this.#sawCr = true;
    while (pos < length) {
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      const lf = text.indexOf('\n', pos);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) {
        this.#carry.push(pos === 0 ? text : text.slice(pos));
        return;
      }
      if (this.#carry.length > 0) {
        this.#carry.push(text.slice(pos, end));
        const line = this.#carry.join('');
        this.#carry = [];
        this.#line(line, 0, line.length, ++this.#sources);
      } else {
        this.#line(text, pos, end, source);
      }
      if (end === cr) {
        if (end + 1 === length) {
          this.#skipLf = true;
          return;
        }
        pos = text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
      } else {
        pos = end + 1;
      }
    }
  }

  /** One line: `text` from `start` to `end`, with a line break or nothing after it. */
  #line(text: string, start: number, end: number, source: number): void {
    this.#lineNumber += 1;
    if (this.#pending !== undefined) {
      this.#hold(start === 0 && end === text.length ? text : text.slice(start, end));
      return;
    }
    const header = this.#header;
    if (
      readHeader(text, start, end, header) &&
      header.signature === this.#signature &&
      !this.#looksPasted(text, end)
    ) {
      this.#startMessage(text, start, end, source);
      return;
    }
    if (this.#count === 0) {
      if (text.slice(start, end).trim() !== '') {
        if (this.#orphanLines === 0) this.#firstOrphan = this.#lineNumber;
        this.#orphanLines += 1;
      }
      return;
    }
    // A line of the last message.
    this.#bodyLines += 1;
    this.#multiline[this.#count - 1] = 1;
    if (source === this.#bodySourceId) {
      this.#bodyEnd = end;
      return;
    }
    this.#bodyHead = this.#bodyText();
    this.#bodySource = text;
    this.#bodySourceId = source;
    this.#bodyStart = start;
    this.#bodyEnd = end;
    this.#bodyLines = 1;
  }

  #hold(line: string): void {
    this.#pending!.push(line);
    const header = parseHeader(line);
    this.#pendingSignatures.push(header?.signature);
    if (header !== undefined) {
      this.#pendingHeaders += 1;
      if (this.#pendingHeaders >= SHAPE_SAMPLE) this.#settleShape();
    }
  }

  /** Picks the header shape most lines share; headers of another shape are message text. */
  #settleShape(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    const counts = new Map<number, number>();
    for (const signature of this.#pendingSignatures) {
      if (signature !== undefined) counts.set(signature, (counts.get(signature) ?? 0) + 1);
    }
    this.#pendingSignatures.length = 0;
    let best = 0;
    for (const [signature, count] of counts) {
      if (count > best) {
        best = count;
        this.#signature = signature;
      }
    }
    this.#lineNumber = 0;
    for (const line of pending) this.#line(line, 0, line.length, ++this.#sources);
  }

  /**
   * A line inside a message that only looks like a new one: a chat line pasted into a message
   * has no author WhatsApp would write and no system sentence, and its time goes back within
   * the same day. (A real message out of order keeps its author, and is sorted later.)
   */
  #looksPasted(text: string, end: number): boolean {
    const last = this.#count - 1;
    if (last < 0) return false;
    const header = this.#header;
    const previousDate = this.#dates[this.#dateOf[last]!]!.parts;
    if (
      previousDate[0] !== header.a ||
      previousDate[1] !== header.b ||
      previousDate[2] !== header.c
    ) {
      return false;
    }
    if (header.hour * 3600 + header.minute * 60 + header.second >= this.#clockOf[last]!)
      return false;
    // Neither `Name: ` nor a system sentence (a named line that reads as one is a system line).
    return (
      nameColon(text, header.restStart, end) === -1 &&
      !isSystemSentence(text.slice(header.restStart, end))
    );
  }

  #startMessage(text: string, start: number, end: number, source: number): void {
    this.#closeMessage();
    const header = this.#header;
    this.#firstLine ??= stripDirectionMarks(text.slice(start, end));
    const dateKey = (header.a * 10_000 + header.b) * 10_000 + header.c;
    let date = this.#lastDate;
    if (dateKey !== this.#lastDateKey) {
      date = this.#dateIndex.get(dateKey) ?? -1;
      if (date === -1) {
        date = this.#dates.length;
        this.#dates.push({ parts: [header.a, header.b, header.c] });
        this.#dateIndex.set(dateKey, date);
      }
      this.#lastDateKey = dateKey;
      this.#lastDate = date;
    }
    // `Name: text`, without a string for a name already known.
    const rest = header.restStart;
    let author = -1;
    let bodyStart = rest;
    const colon = nameColon(text, rest, end);
    if (colon === end - 1) {
      // "Name:" with an empty body (disappearing messages) still has an author.
      author = this.#findAuthor(text, rest, colon);
      if (author === -1) author = this.#addAuthor(text.slice(rest, colon));
      bodyStart = end;
    } else if (colon !== -1) {
      author = this.#findAuthor(text, rest, colon);
      const name = author === -1 ? text.slice(rest, colon) : undefined;
      const spaced =
        name === undefined
          ? this.#authorSpaced[author]!
          : name.indexOf(' ') !== name.lastIndexOf(' ');
      if (spaced && isSystemSentence(text.slice(rest, end))) {
        author = -1;
      } else {
        if (name !== undefined) author = this.#addAuthor(name);
        bodyStart = colon + 2;
      }
    }
    const index = this.#count;
    if (index === this.#lineOf.length) {
      this.#lineOf = grown(this.#lineOf);
      this.#dateOf = grown(this.#dateOf);
      this.#clockOf = grown(this.#clockOf);
      this.#authorOf = grown(this.#authorOf);
      this.#multiline = grownBytes(this.#multiline);
      this.#kinds = grownBytes(this.#kinds);
    }
    this.#lineOf[index] = this.#lineNumber;
    this.#dateOf[index] = date;
    this.#clockOf[index] = header.hour * 3600 + header.minute * 60 + header.second;
    this.#authorOf[index] = author;
    this.#count = index + 1;
    this.#bodyOpen = true;
    this.#bodySource = text;
    this.#bodySourceId = source;
    this.#bodyStart = bodyStart;
    this.#bodyEnd = end;
    this.#bodyLines = 1;
    this.#bodyHead = undefined;
  }

  #findAuthor(text: string, start: number, end: number): number {
    const candidates = this.#authorIndex.get(authorKey(text, start, end));
    if (candidates !== undefined) {
      for (const candidate of candidates) {
        if (text.startsWith(this.#authors[candidate]!, start)) return candidate;
      }
    }
    return -1;
  }

  #addAuthor(name: string): number {
    const index = this.#authors.length;
    this.#authors.push(name);
    this.#authorSpaced.push(name.indexOf(' ') !== name.lastIndexOf(' '));
    const lower = stripDirectionMarks(name).replace(/^~\s*/, '').toLowerCase();
    this.#authorInfo.push({
      name,
      key: nameKey(name),
      lower,
      prefix: `${lower} `,
      senderId: undefined,
    });
    const key = authorKey(name, 0, name.length);
    const candidates = this.#authorIndex.get(key);
    if (candidates === undefined) this.#authorIndex.set(key, [index]);
    else candidates.push(index);
    return index;
  }

  /** The last message's body so far, its lines joined with `\n`. */
  #bodyText(): string {
    let text = this.#bodySource.slice(this.#bodyStart, this.#bodyEnd);
    if (this.#bodyLines > 1 && this.#sawCr && text.includes('\r')) {
      text = text.replace(/\r\n?/g, '\n');
    }
    return this.#bodyHead === undefined ? text : `${this.#bodyHead}\n${text}`;
  }

  /** Keeps the last message's body, all its lines read. */
  #closeMessage(): void {
    if (!this.#bodyOpen) return;
    const index = this.#bodies.length;
    const body = this.#bodyText();
    this.#bodies.push(body);
    // Ordinary text, most of any chat, is told apart now, while the text is fresh in memory.
    // A line the chat itself wrote needs every author's name, known only at the end.
    const author = this.#authorInfo[this.#authorOf[index]!];
    if (author !== undefined && author.key !== this.#titleKey) {
      const common = isCommonText(body);
      this.#kinds[index] =
        common &&
        readsAsPlainText(body, this.#multiline[index] === 1) &&
        !isSystemLine(author, body, this.#titleKey, [], true)
          ? KIND_PLAIN
          : common
            ? KIND_COMMON
            : KIND_READ;
    }
    this.#bodyOpen = false;
    this.#bodySource = '';
    this.#bodySourceId = 0;
    this.#bodyHead = undefined;
  }

  /** Builds the conversation, or undefined when the file held no message at all. */
  finish(): { conversation: Conversation | undefined; warnings: ParseWarning[] } {
    this.#read(this.#decoder.decode());
    if (this.#carry.length > 0) {
      const line = this.#carry.join('');
      this.#carry = [];
      this.#line(line, 0, line.length, ++this.#sources);
    }
    if (this.#pending !== undefined) this.#settleShape();
    this.#closeMessage();
    if (this.#orphanLines > 0) {
      this.#warn({
        line: this.#firstOrphan,
        ruleId: `${FORMAT}:text-before-first-message`,
        reason: `${this.#orphanLines} line(s) before the first message have no date and time; skipped`,
      });
    }
    if (this.#count === 0) return { conversation: undefined, warnings: this.#warnings };

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
    const titleKey = this.#titleKey;
    const authorInfo = this.#authorInfo;
    const names = authorInfo.filter((info) => info.key !== titleKey).map((info) => info.prefix);
    const participants = new Map<string, Participant>();
    const count = this.#count;
    const messages: Message[] = [];
    const instants = new Float64Array(count);
    const iso = createIsoFormatter();
    const readings = new BodyReadings();
    let groupSignals = 0;
    let badDates = 0;
    let firstBadDate = 0;
    let newTitle: string | undefined;
    const lines = this.#lineOf;
    const dates = this.#dateOf;
    const clocks = this.#clockOf;
    const authors = this.#authorOf;
    const multiline = this.#multiline;
    const kinds = this.#kinds;
    const bodies = this.#bodies;
    for (let index = 0; index < count; index += 1) {
      const day = calendar[dates[index]!];
      const clock = clocks[index]!;
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
      instants[messages.length] = instant;
      const time = iso(instant);
      const id = String(lines[index]);
      const body = bodies[index]!;
      const authorIndex = authors[index]!;
      const author = authorIndex === -1 ? undefined : authorInfo[authorIndex]!;
      // Ordinary text, most of any chat, was recognised as it was kept.
      const kind = kinds[index]!;
      if (kind === KIND_PLAIN) {
        author!.senderId ??= this.#participant(participants, author!.name);
        messages.push({ id, senderId: author!.senderId, time, type: 'text', text: body });
        continue;
      }
      // Text the chat itself wrote is checked against every name here.
      const common =
        author !== undefined && (kind === 0 ? isCommonText(body) : kind === KIND_COMMON);
      if (
        kind === 0 &&
        common &&
        readsAsPlainText(body, multiline[index] === 1) &&
        !isSystemLine(author, body, titleKey, names, true)
      ) {
        author.senderId ??= this.#participant(participants, author.name);
        messages.push({ id, senderId: author.senderId, time, type: 'text', text: body });
        continue;
      }
      // iOS marks system text with a direction mark, and placeholders too: read those once.
      let reading: BodyReading | undefined =
        author !== undefined && body.charCodeAt(0) === 0x200e && body.length <= MAX_SYSTEM_LENGTH
          ? readings.read(body)
          : undefined;
      const system =
        author === undefined ||
        (reading === undefined
          ? isSystemLine(author, body, titleKey, names, common)
          : reading.type === 'text' && stripDirectionMarks(body).trim() !== '');
      if (system) {
        const text = normalizeText(body).trim();
        if (GROUP_SIGNAL.test(text)) groupSignals += 1;
        newTitle = groupName(text) ?? newTitle;
        messages.push({ id, senderId: null, time, type: 'system', text });
        continue;
      }
      reading ??= readings.read(body);
      author!.senderId ??= this.#participant(participants, author!.name);
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
      messages: inTimeOrder(messages, instants.subarray(0, messages.length)),
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

/**
 * `readBody` for one chat, remembering the short bodies it has read: placeholders such as
 * `<Media omitted>` or `image omitted` come back thousands of times in a chat. Each call gets
 * its own copy, attachments included, so that no two messages share an object.
 */
class BodyReadings {
  readonly #known = new Map<string, BodyReading>();

  read(body: string): BodyReading {
    if (body.length > 64) return readBody(body);
    const known = this.#known.get(body);
    if (known === undefined) {
      const reading = readBody(body);
      if (this.#known.size < 4096) this.#known.set(body, copyReading(reading));
      return reading;
    }
    return copyReading(known);
  }
}

function copyReading(reading: BodyReading): BodyReading {
  return reading.attachments === undefined
    ? { ...reading }
    : { ...reading, attachments: reading.attachments.map((attachment) => ({ ...attachment })) };
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
 * Where the name ends in the line `text[start, end)` read as `Name: text`: the index of the
 * colon, or -1 when the line has no name (no ": ", or one over 80 characters in). A line ending
 * in "Name:" (a disappearing message, its body empty) has its name end at `end - 1`. Android
 * system lines have no author; one whose text happens to hold ": " (`Alice changed the subject
 * to "a: b"`) is told apart afterwards, by a name of three words or more reading as a system
 * sentence.
 */
function nameColon(text: string, start: number, end: number): number {
  const colon = text.indexOf(': ', start);
  // Past the line: ": " never spans its end, which is a line break or nothing.
  if (colon > start && colon <= end - 2) return colon - start <= 80 ? colon : -1;
  return end > start &&
    text.charCodeAt(end - 1) === 0x3a &&
    (end - start < 2 || text.charCodeAt(end - 2) !== 0x20)
    ? end - 1
    : -1;
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
  /** The body is common text (`isCommonText`), so only a notice anchored at its start fits. */
  common: boolean,
): boolean {
  if (body.length > MAX_SYSTEM_LENGTH) return false;
  if ((!common || startsLikeNotice(body)) && isNotice(body)) return true;
  // A body can only start with a name when their first letters agree: most bodies are not
  // lower-cased at all.
  const folded = lowerFirst(body);
  if (folded !== -1) {
    if (author.key === titleKey) {
      if (folded !== 0x79 && !names.some((name) => name.charCodeAt(0) === folded)) return false;
    } else if (author.prefix.charCodeAt(0) !== folded) {
      return false;
    }
  }
  const lower = body.toLowerCase();
  if (author.key === titleKey) {
    if (!lower.startsWith('you') && !names.some((name) => lower.startsWith(name))) return false;
  } else if (!lower.startsWith(author.prefix)) {
    return false;
  }
  return isEvent(body);
}

/** The first character of each character lower-cased; 0 where not known yet. */
const lowerFirsts = new Uint16Array(0x10000);

/**
 * The first code unit of `text.toLowerCase()`, from the first character alone; -1 for an
 * empty text and for the two characters whose lower case depends on what follows or is longer
 * (capital sigma, and I with a dot above).
 */
export function lowerFirst(text: string): number {
  const code = text.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  if (Number.isNaN(code) || code === 0x3a3 || code === 0x130) return -1;
  // Half of a surrogate pair: lower-casing a pair keeps its first half.
  if (code >= 0xd800 && code <= 0xdfff) return code;
  let lower = lowerFirsts[code]!;
  if (lower === 0) {
    lower = String.fromCharCode(code).toLowerCase().charCodeAt(0);
    lowerFirsts[code] = lower;
  }
  return lower;
}

interface AuthorInfo {
  /** As the export writes it. */
  name: string;
  key: string;
  /** Lower-cased, without a leading `~ `. */
  lower: string;
  /** `lower` and a space, as a system sentence about the author starts. */
  prefix: string;
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

/**
 * Messages in time order, file order kept for equal times, sorted in place along with their
 * instants. Exports are nearly in order (a clock change, a message sent offline): each message
 * out of order moves back past the few it follows, and only when that adds up to many moves
 * does a full sort take over.
 */
function inTimeOrder(messages: Message[], instants: Float64Array): Message[] {
  const count = messages.length;
  let budget = 16 * count + 1024;
  for (let index = 1; index < count; index += 1) {
    const instant = instants[index]!;
    if (instant >= instants[index - 1]!) continue;
    const message = messages[index]!;
    let at = index;
    while (at > 0 && instants[at - 1]! > instant) {
      instants[at] = instants[at - 1]!;
      messages[at] = messages[at - 1]!;
      at -= 1;
      budget -= 1;
    }
    instants[at] = instant;
    messages[at] = message;
    if (budget < 0) {
      // Array#sort is stable, and the moves so far kept equal times in file order.
      const order = Array.from({ length: count }, (_, position) => position);
      order.sort((left, right) => instants[left]! - instants[right]!);
      return order.map((position) => messages[position]!);
    }
  }
  return messages;
}
