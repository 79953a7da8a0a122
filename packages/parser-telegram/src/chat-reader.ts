import {
  CONVERSATION_SCHEMA_ID,
  createIdentityMatcher,
  createParseWarning,
  normalizeText,
  rankSelfMatches,
  sortMessages,
  type Conversation,
  type Message,
  type Participant,
  type ParseWarning,
} from '@alterego/core';
import { convertMessage, type MessageContext } from './convert-message.js';
import { FORMAT } from './format.js';

/** The person who made the export, from the whole-account export's `personal_information`. */
export interface TelegramOwner {
  /** The participant id their messages carry: `user<user_id>`. */
  id: string;
  name?: string;
  handles: string[];
}

/** Reads `personal_information` into the owner, or undefined when it names no user. */
export function ownerFromPersonalInformation(value: unknown): TelegramOwner | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const info = value as Record<string, unknown>;
  const userId = info.user_id;
  if (typeof userId !== 'number' && typeof userId !== 'string') return undefined;
  const name = [info.first_name, info.last_name]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ');
  const handles: string[] = [];
  if (typeof info.username === 'string' && info.username !== '')
    handles.push(`@${info.username.replace(/^@/, '')}`);
  if (typeof info.phone_number === 'string' && info.phone_number.trim() !== '')
    handles.push(info.phone_number.trim());
  return { id: `user${userId}`, ...(name ? { name: normalizeText(name) } : {}), handles };
}

/** How a Telegram chat type maps onto a Conversation kind. */
export function kindOf(type: unknown): Conversation['kind'] {
  switch (type) {
    case 'personal_chat':
    case 'bot_chat':
      return 'direct';
    case 'saved_messages':
    case 'private_channel':
    case 'public_channel':
      return 'posts';
    default:
      return 'group';
  }
}

export interface ChatReaderOptions {
  /** For warnings: the entry as the user would write it. */
  file: string;
  /** `source.file`: relative to the input the user gave. */
  sourceFile: string;
  timeZone: string;
  me: readonly string[];
  /** Used for the conversation id when the chat has no `id`: the chat's place in the file. */
  fallbackId: string;
}

/**
 * Collects one chat: its fields (`name`, `type`, `id`, in any order, before or after the
 * messages) and its messages one at a time, then builds the Conversation. Messages are held
 * as converted Messages, not as the export's objects.
 */
export class ChatReader {
  readonly #options: ChatReaderOptions;
  readonly #participants = new Map<string, Participant>();
  readonly #messages: Message[] = [];
  readonly #messageIds = new Set<string>();
  readonly #warnings: ParseWarning[] = [];
  readonly #context: MessageContext;
  #name: string | undefined;
  #type: unknown;
  #id: string | undefined;

  constructor(options: ChatReaderOptions) {
    this.#options = options;
    this.#context = {
      timeZone: options.timeZone,
      person: (rawId, name) => this.#person(rawId, name),
    };
  }

  /** A field of the chat object other than `messages`. */
  field(key: string, value: unknown): void {
    if (key === 'name' && typeof value === 'string') this.#name = normalizeText(value);
    else if (key === 'type') this.#type = value;
    else if (key === 'id' && (typeof value === 'number' || typeof value === 'string'))
      this.#id = String(value);
  }

  get messageCount(): number {
    return this.#messages.length;
  }

  /** One element of `messages`; `line` is where it starts, for warnings. */
  add(raw: unknown, line: number): void {
    const result = convertMessage(raw, this.#context);
    if ('skipped' in result) {
      this.warn(line, 'bad-message', `${result.skipped}; skipped`);
      return;
    }
    if (this.#messageIds.has(result.message.id)) {
      this.warn(
        line,
        'duplicate-message',
        `message ${result.message.id} appears twice; skipped the second`,
      );
      return;
    }
    this.#messageIds.add(result.message.id);
    this.#messages.push(result.message);
  }

  warn(line: number | undefined, rule: string, reason: string, skipped = true): void {
    this.report(createParseWarning(FORMAT, this.#options.file, rule, reason, { line, skipped }));
  }

  /** A warning found while reading the file, given out with the conversation. */
  report(warning: ParseWarning): void {
    this.#warnings.push(warning);
  }

  /** Warnings found so far; taking them empties the list. */
  takeWarnings(): ParseWarning[] {
    return this.#warnings.splice(0);
  }

  #person(rawId: unknown, rawName: unknown): string {
    const id =
      typeof rawId === 'string' && rawId !== ''
        ? rawId
        : typeof rawId === 'number'
          ? String(rawId)
          : typeof rawName === 'string' && rawName !== ''
            ? `name:${normalizeText(rawName)}`
            : 'unknown';
    const name =
      typeof rawName === 'string' && rawName.trim() !== '' ? normalizeText(rawName) : undefined;
    const known = this.#participants.get(id);
    if (!known) {
      this.#participants.set(id, { id, name: name ?? 'Deleted Account', self: false });
    } else if (name !== undefined && known.name !== name) {
      // People rename themselves: keep the newest name.
      known.name = name;
    }
    return id;
  }

  /**
   * Picks the participant who is the user, in order: the owner named by the whole-account
   * export, `--me`, the only sender of Saved Messages, and in a one-to-one chat (whose `id` is
   * the other person's user id) the one who is not the other person.
   */
  #selfId(owner: TelegramOwner | undefined): { id?: string; known: boolean } {
    if (owner) return { id: this.#participants.has(owner.id) ? owner.id : undefined, known: true };
    const people = [...this.#participants.values()];
    const matcher = createIdentityMatcher(this.#options.me);
    if (!matcher.empty) {
      const matched = people.filter((person) => matcher.matches(person));
      if (matched.length === 1) return { id: matched[0]!.id, known: true };
      if (matched.length > 1) {
        const { ranked, reason } = rankSelfMatches(matched, this.#messages);
        this.warn(undefined, 'several-self', reason, false);
        return { id: ranked[0]!.id, known: true };
      }
    }
    if (this.#type === 'saved_messages' && people.length === 1)
      return { id: people[0]!.id, known: true };
    if (this.#type === 'personal_chat' && this.#id !== undefined) {
      const others = people.filter((person) => person.id !== `user${this.#id}`);
      if (others.length === 1) return { id: others[0]!.id, known: true };
    }
    return { known: !matcher.empty };
  }

  /**
   * The Conversation, or undefined for a chat without messages. `owner` comes from the
   * whole-account export; without it, `--me` and the chat's own clues decide who is the user,
   * and `warnNoSelf` adds advice when nothing does.
   */
  finish(owner: TelegramOwner | undefined, warnNoSelf: boolean): Conversation | undefined {
    if (this.#messages.length === 0) return undefined;
    const self = this.#selfId(owner);
    const participants = [...this.#participants.values()].map((person) => ({ ...person }));
    for (const person of participants) {
      if (person.id !== self.id) continue;
      person.self = true;
      if (owner && owner.handles.length > 0) person.handles = [...owner.handles];
    }
    if (self.id === undefined && !self.known && warnNoSelf) {
      this.warn(
        undefined,
        'no-self',
        'no --me given and the export does not say who made it, so no participant is marked as you (pass --me with your Telegram name)',
        false,
      );
    }
    const title = this.#name ?? (this.#type === 'saved_messages' ? 'Saved Messages' : null);
    return {
      schema: CONVERSATION_SCHEMA_ID,
      id: `${FORMAT}:${this.#id ?? this.#options.fallbackId}`,
      platform: 'telegram',
      kind: kindOf(this.#type),
      title,
      participants,
      messages: sortMessages(this.#messages),
      source: { format: FORMAT, file: this.#options.sourceFile },
    };
  }
}
