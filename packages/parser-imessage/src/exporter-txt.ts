import { createHash } from 'node:crypto';
import {
  CONVERSATION_SCHEMA_ID,
  createIdentityMatcher,
  displayPath,
  localTimeZone,
  looksLikeText,
  normalizeText,
  ParseError,
  readLineBatches,
  resolveTimeZone,
  sortMessages,
  sourceFilePath,
  zonedTimeToIso,
  type Attachment,
  type AttachmentType,
  type Conversation,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type Message,
  type Participant,
  type ParseEvent,
  type ParseWarning,
} from '@alterego/core';
import { normalizeHandle } from './handles.js';
import { TAPBACK_EMOJI } from './tapbacks.js';

export const TXT_FORMAT = 'imessage-txt';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `May 17, 2022  5:29:42 PM` (`%b %d, %Y %l:%M:%S %p`), then a read receipt or an announcement. */
const DATE_LINE =
  /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{4}) {1,2}(\d{1,2}):(\d{2}):(\d{2}) ([AP]M)(?: (.*))?$/;

const EXPECTED =
  'expected a conversation exported by imessage-exporter as text (-f txt), with blocks like "May 17, 2022  5:29:42 PM", a sender line and the message';

const REACTION_WORDS: Readonly<Record<string, string>> = {
  Loved: TAPBACK_EMOJI[0]!,
  Liked: TAPBACK_EMOJI[1]!,
  Disliked: TAPBACK_EMOJI[2]!,
  Laughed: TAPBACK_EMOJI[3]!,
  Emphasized: TAPBACK_EMOJI[4]!,
  Questioned: TAPBACK_EMOJI[5]!,
};

const EXTENSION_TYPES: Readonly<Record<string, AttachmentType>> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  heic: 'image',
  heif: 'image',
  webp: 'image',
  tiff: 'image',
  gif: 'gif',
  mov: 'video',
  mp4: 'video',
  m4v: 'video',
  caf: 'audio',
  m4a: 'audio',
  mp3: 'audio',
  amr: 'audio',
  wav: 'audio',
  vcf: 'contact',
};

/** A line naming an attachment: a path the exporter copied to, or the database's own path. */
const ATTACHMENT_LINE = /^(?:attachments\/|~\/|\/)\S.*\.([A-Za-z0-9]{1,5})$/;

function attachmentFor(path: string): Attachment {
  const extension = ATTACHMENT_LINE.exec(path)?.[1]?.toLowerCase() ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { type: EXTENSION_TYPES[extension] ?? 'file', name: normalizeText(name), uri: path };
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  rest: string | undefined;
}

function parseDateLine(line: string): DateParts | undefined {
  const match = DATE_LINE.exec(line);
  if (!match) return undefined;
  const hour12 = Number(match[4]);
  if (hour12 < 1 || hour12 > 12) return undefined;
  return {
    year: Number(match[3]),
    month: MONTHS.indexOf(match[1]!) + 1,
    day: Number(match[2]),
    hour: (hour12 % 12) + (match[7] === 'PM' ? 12 : 0),
    minute: Number(match[5]),
    second: Number(match[6]),
    rest: match[8],
  };
}

/** The conversation's title from an exporter file name: `<name> - <chat id>.txt`, or the participants. */
export function titleFromFileName(name: string): { title: string | null; group: boolean } {
  const base = name.replace(/\.txt$/i, '');
  if (base === 'orphaned') return { title: null, group: false };
  const named = /^(.*) - \d+$/.exec(base);
  if (named) return { title: named[1]!, group: true };
  const group = base.includes(', ') || /, and \d+ others$/.test(base);
  return { title: base, group };
}

interface Block {
  line: number;
  raw: string;
  date: DateParts;
  lines: string[];
}

/** Reads the lines of one exported conversation into messages. */
class TxtConversationReader {
  private block: Block | undefined;
  private readonly messages: Message[] = [];
  private readonly participants = new Map<string, Participant>();
  readonly warnings: ParseWarning[] = [];
  /** Replies shown under the message they answer: date line + sender → that message's id. */
  private readonly nested = new Map<string, string>();
  private readonly replies: { message: Message; key: string }[] = [];
  private lineNumber = 0;

  constructor(
    private readonly file: string,
    private readonly timeZone: string,
    private readonly selfName: string,
  ) {}

  push(lines: readonly string[]): void {
    for (const line of lines) {
      this.lineNumber += 1;
      const date = line.startsWith(' ') ? undefined : parseDateLine(line);
      if (date) {
        this.flush();
        this.block = { line: this.lineNumber, raw: line, date, lines: [] };
      } else if (this.block) {
        this.block.lines.push(line);
      } else if (line.trim() !== '') {
        this.warnings.push({
          file: this.file,
          line: this.lineNumber,
          ruleId: `${TXT_FORMAT}:text-before-first-message`,
          reason: 'a line before the first dated message; skipped',
          source: TXT_FORMAT,
        });
      }
    }
  }

  private participant(name: string): string {
    const self = name === 'Me' || name === this.selfName;
    const id = self ? 'me' : normalizeText(name);
    if (!this.participants.has(id)) {
      const handle = normalizeHandle(name);
      const isHandle = /^\+?\d{5,}$/.test(handle) || /^[^\s@]+@[^\s@]+$/.test(handle);
      this.participants.set(id, {
        id,
        name: self ? this.selfName : id,
        ...(isHandle && !self ? { handles: [handle] } : {}),
        self,
      });
    }
    return id;
  }

  private flush(): void {
    const block = this.block;
    this.block = undefined;
    if (!block) return;
    const { date } = block;
    let time: string;
    try {
      time = zonedTimeToIso(date, this.timeZone);
    } catch {
      this.warnings.push({
        file: this.file,
        line: block.line,
        ruleId: `${TXT_FORMAT}:bad-date`,
        reason: 'a date that does not exist; skipped',
        source: TXT_FORMAT,
      });
      return;
    }
    const id = String(block.line);
    const rest = date.rest?.trim() ?? '';
    if (rest !== '' && !/^\(Read by .+\)$/.test(rest)) {
      // Announcements are one line: the date and what happened.
      this.messages.push({ id, senderId: null, time, type: 'system', text: normalizeText(rest) });
      return;
    }
    const lines = block.lines;
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    const senderLine = lines.shift()?.trim();
    if (!senderLine) {
      this.warnings.push({
        file: this.file,
        line: block.line,
        ruleId: `${TXT_FORMAT}:no-sender`,
        reason: 'a dated block without a sender line; skipped',
        source: TXT_FORMAT,
      });
      return;
    }
    const senderId = this.participant(senderLine);
    const message: Message = { id, senderId, time, type: 'text', text: '' };
    const text: string[] = [];
    const attachments: Attachment[] = [];
    const reactions: { emoji: string; senderId: string }[] = [];
    let edited: string | undefined;
    let deleted = false;
    let system = false;
    let reply = false;
    let inReactions = false;
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index]!;
      if (line.startsWith('    ')) {
        // A reply shown under this message; it also comes at the top level.
        const nestedDate = parseDateLine(line.slice(4));
        const nestedSender = lines[index + 1];
        if (nestedDate && nestedSender?.startsWith('    ')) {
          this.nested.set(`${withoutReceipt(line.slice(4))}\n${nestedSender.trim()}`, id);
        }
        continue;
      }
      if (line.trim() === '') {
        inReactions = false;
        continue;
      }
      if (line === 'Reactions:' || line === 'Tapbacks:') {
        inReactions = true;
        continue;
      }
      if (inReactions) {
        const match = /^(.+?) by (.+)$/.exec(line);
        if (match) {
          const emoji = REACTION_WORDS[match[1]!] ?? match[1]!;
          reactions.push({ emoji, senderId: this.participant(match[2]!.trim()) });
          continue;
        }
        if (/^Sticker from .+: /.test(line)) continue;
        inReactions = false;
      }
      if (line === 'This message responded to an earlier message.') {
        reply = true;
        continue;
      }
      if (line === 'This message was deleted from the conversation!') continue;
      if (/^Sent with [A-Z][A-Za-z ]+$/.test(line)) continue;
      const edit = /^Edited .+? later: (.*)$/.exec(line);
      if (edit) {
        edited = edit[1]!;
        continue;
      }
      if (/^(?:You|.+) unsent this message part .+!$/.test(line)) {
        deleted = true;
        continue;
      }
      if (
        line === 'Started sharing location!' ||
        line === 'Stopped sharing location!' ||
        line === 'SharePlay Message'
      ) {
        system = true;
        text.push(line);
        continue;
      }
      if (line === 'Attachment missing!') {
        attachments.push({ type: 'file' });
        continue;
      }
      if (ATTACHMENT_LINE.test(line)) {
        attachments.push(attachmentFor(line));
        continue;
      }
      text.push(line);
    }
    const body = normalizeText((edited ?? text.join('\n')).replace(/\uFFFC/g, '')).trim();
    if (deleted && body === '' && attachments.length === 0) {
      message.type = 'deleted';
    } else if (system) {
      message.type = 'system';
      message.senderId = null;
      message.text = normalizeText(`${senderLine}: ${text.join('\n')}`);
    } else {
      message.text = body;
      if (attachments.length > 0) message.attachments = attachments;
      if (body === '') {
        if (attachments.length === 0) return;
        message.type = attachments.every((attachment) => attachment.type === 'contact')
          ? 'contact'
          : 'media';
      }
      if (edited !== undefined) message.edited = true;
    }
    if (reactions.length > 0) message.reactions = reactions;
    if (reply) this.replies.push({ message, key: `${withoutReceipt(block.raw)}\n${senderLine}` });
    this.messages.push(message);
  }

  finish(
    base: Omit<Conversation, 'messages' | 'participants' | 'kind'> & { group: boolean },
  ): Conversation | undefined {
    this.flush();
    if (this.messages.length === 0) return undefined;
    for (const { message, key } of this.replies) {
      const parent = this.nested.get(key);
      if (parent && parent !== message.id) message.replyTo = parent;
    }
    const participants = [...this.participants.values()];
    const others = participants.filter((participant) => !participant.self);
    const group = base.group || others.length > 1;
    const { group: _group, ...rest } = base;
    return {
      ...rest,
      title: rest.title ?? (group ? null : (others[0]?.name ?? null)),
      kind: group ? 'group' : 'direct',
      participants,
      messages: sortMessages(this.messages),
    };
  }
}

function withoutReceipt(dateLine: string): string {
  return dateLine.replace(/ \(Read by .*\)$/, '');
}

function headLooksLikeExport(head: Buffer): boolean {
  if (head.length === 0 || !looksLikeText(head)) return false;
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n/, 8)
    .filter((line) => line.trim() !== '');
  const date = lines[0] === undefined ? undefined : parseDateLine(lines[0]);
  if (!date) return false;
  // A message block has its sender on the next line; an announcement carries its text.
  return (date.rest !== undefined && date.rest !== '') || lines.length >= 2;
}

async function exportEntries(input: InputSource): Promise<InputEntry[]> {
  const found: InputEntry[] = [];
  for (const entry of await input.entries()) {
    const dot = entry.name.lastIndexOf('.');
    if (dot > 0 && entry.name.slice(dot).toLowerCase() !== '.txt') continue;
    if (entry.size === 0) continue;
    if (headLooksLikeExport(await entry.readHead(4096))) found.push(entry);
  }
  return found;
}

/**
 * Creates the parser for imessage-exporter's text output (`imessage-exporter -f txt`): one
 * `.txt` file per conversation, alone or in a folder or zip. Times are read in `timeZone`.
 */
export function createIMessageTxtParser(): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format: TXT_FORMAT,
    displayName: 'iMessage (imessage-exporter .txt)',
    platforms: ['imessage'],
    async detect(input) {
      const entries = await exportEntries(input);
      if (entries.length === 0) return undefined;
      return {
        confidence: 0.9,
        entries: entries.map((entry) => entry.path),
        reason: `imessage-exporter message blocks in ${entries.map((entry) => entry.path).join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const timeZone = resolveTimeZone(parseOptions.timeZone ?? localTimeZone());
      const entries = await exportEntries(input);
      if (entries.length === 0) {
        throw new ParseError(`no imessage-exporter conversation found; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${TXT_FORMAT}:no-conversation`,
        });
      }
      const me = createIdentityMatcher(parseOptions.me ?? []);
      const selfName = parseOptions.me?.[0]?.trim() || 'Me';
      for (const entry of entries) {
        if (parseOptions.signal?.aborted) return;
        const file = displayPath(input, entry);
        const reader = new TxtConversationReader(file, timeZone, me.empty ? 'Me' : selfName);
        for await (const batch of readLineBatches(await entry.stream())) reader.push(batch);
        const sourceFile = sourceFilePath(input, entry);
        const { title, group } = titleFromFileName(entry.name);
        const conversation = reader.finish({
          schema: CONVERSATION_SCHEMA_ID,
          id: `imessage:txt:${createHash('sha256').update(sourceFile).digest('hex').slice(0, 16)}`,
          platform: 'imessage',
          title,
          group,
          source: { format: TXT_FORMAT, file: sourceFile },
        });
        for (const warning of reader.warnings) yield { type: 'warning', warning };
        if (conversation) yield { type: 'conversation', conversation };
        else {
          yield {
            type: 'warning',
            warning: {
              file,
              ruleId: `${TXT_FORMAT}:no-messages`,
              reason: `no messages found; ${EXPECTED}; skipped`,
              source: TXT_FORMAT,
            },
          };
        }
      }
    },
  };
}

/** The imessage-exporter .txt parser. */
export const imessageTxt: ConversationParserV1 = createIMessageTxtParser();
