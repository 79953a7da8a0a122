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
import { convertMessage, type DiscordUser, type MessageContext } from './convert-message.js';
import { FORMAT } from './format.js';

/** How a DiscordChatExporter channel type maps onto a Conversation kind. */
export function kindOf(channelType: unknown): Conversation['kind'] {
  return channelType === 'DirectTextChat' ? 'direct' : 'group';
}

export interface ChannelReaderOptions {
  /** For warnings: the entry as the user would write it. */
  file: string;
  /** `source.file`: relative to the input the user gave. */
  sourceFile: string;
  me: readonly string[];
  /** The user's Discord id, the surest way to mark them. */
  selfId?: string;
}

interface Person extends Participant {
  bot: boolean;
}

function sameMessage(a: Message, b: Message): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Collects one channel: `guild` and `channel` (before or after the messages), then its messages
 * one at a time as converted Messages, and builds the Conversation. The parts of a partitioned
 * export (`[part 2]`) are merged into one reader.
 */
export class ChannelReader {
  readonly #options: ChannelReaderOptions;
  readonly #people = new Map<string, Person>();
  readonly #messages: Message[] = [];
  readonly #byId = new Map<string, Message>();
  readonly #warnings: ParseWarning[] = [];
  readonly #context: MessageContext;
  #guildName: string | undefined;
  #guildId: string | undefined;
  #channelName: string | undefined;
  #channelType: unknown;
  #channelId: string | undefined;
  #file: string;

  constructor(options: ChannelReaderOptions) {
    this.#options = options;
    this.#file = options.file;
    this.#context = {
      channelId: () => this.#channelId,
      person: (user) => this.#person(user),
    };
  }

  get channelId(): string | undefined {
    return this.#channelId;
  }

  /** `guild` or `channel` from the top of the export. */
  field(key: string, value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const id =
      typeof record.id === 'string' || typeof record.id === 'number'
        ? String(record.id)
        : undefined;
    const name =
      typeof record.name === 'string' && record.name.trim() !== ''
        ? normalizeText(record.name)
        : undefined;
    if (key === 'guild') {
      this.#guildId = id;
      this.#guildName = name;
    } else if (key === 'channel') {
      this.#channelId = id;
      this.#channelName = name;
      this.#channelType = record.type;
    }
  }

  /** One element of `messages`; `line` is where it starts, for warnings. */
  add(raw: unknown, line: number): void {
    const result = convertMessage(raw, this.#context);
    if ('skipped' in result) {
      this.warn(line, 'bad-message', `${result.skipped}; skipped`);
      return;
    }
    const known = this.#byId.get(result.message.id);
    if (known) {
      // Overlapping exports and partitions repeat messages: the same message twice is one message.
      if (!sameMessage(known, result.message)) {
        this.warn(
          line,
          'duplicate-message',
          `message ${result.message.id} appears twice with different content; kept the first`,
        );
      }
      return;
    }
    this.#byId.set(result.message.id, result.message);
    this.#messages.push(result.message);
  }

  /** Takes in the messages of another part of the same channel's export. */
  merge(other: ChannelReader): void {
    for (const person of other.#people.values()) {
      if (!this.#people.has(person.id)) this.#people.set(person.id, person);
    }
    for (const message of other.#messages) {
      if (this.#byId.has(message.id)) continue;
      this.#byId.set(message.id, message);
      this.#messages.push(message);
    }
    this.#warnings.push(...other.#warnings.splice(0));
  }

  warn(line: number | undefined, rule: string, reason: string, skipped = true): void {
    this.report(createParseWarning(FORMAT, this.#file, rule, reason, { line, skipped }));
  }

  /** A warning found while reading the file, given out with the conversation. */
  report(warning: ParseWarning): void {
    this.#warnings.push(warning);
  }

  /** Warnings found so far; taking them empties the list. */
  takeWarnings(): ParseWarning[] {
    return this.#warnings.splice(0);
  }

  #person(user: DiscordUser): string {
    const name = normalizeText(user.nickname ?? user.name);
    const known = this.#people.get(user.id);
    if (!known) {
      this.#people.set(user.id, {
        id: user.id,
        name,
        handles: [normalizeText(user.name)],
        self: false,
        bot: user.isBot,
      });
    } else if (known.name !== name) {
      // Nicknames change: keep the newest.
      known.name = name;
    }
    return user.id;
  }

  /**
   * Picks the participant who is the user: the `selfId` option, then `--me` against display
   * names and user names (bots never), then in a one-to-one DM (which DiscordChatExporter names
   * after the other person) the one the channel is not named after.
   */
  #selfId(): { id?: string; known: boolean } {
    if (this.#options.selfId !== undefined) {
      return {
        id: this.#people.has(this.#options.selfId) ? this.#options.selfId : undefined,
        known: true,
      };
    }
    const people = [...this.#people.values()].filter((person) => !person.bot);
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
    if (this.#channelType === 'DirectTextChat' && this.#channelName !== undefined) {
      const all = [...this.#people.values()];
      const key = this.#channelName.toLowerCase();
      const named = all.filter(
        (person) =>
          person.name.toLowerCase() === key ||
          person.handles?.some((handle) => handle.toLowerCase() === key),
      );
      const others = people.filter((person) => !named.includes(person));
      if (named.length === 1 && others.length === 1) return { id: others[0]!.id, known: true };
    }
    return { known: !matcher.empty };
  }

  /** The Conversation, or undefined for a channel without messages. */
  finish(warnNoSelf: boolean): Conversation | undefined {
    if (this.#messages.length === 0) return undefined;
    const self = this.#selfId();
    const participants: Participant[] = [...this.#people.values()].map((person) => ({
      id: person.id,
      name: person.name,
      ...(person.handles ? { handles: [...person.handles] } : {}),
      self: person.id === self.id,
    }));
    if (self.id === undefined && !self.known && warnNoSelf) {
      this.warn(
        undefined,
        'no-self',
        'no selfId or --me given, so no participant is marked as you (pass --me with your Discord name, or your user id as selfId)',
        false,
      );
    }
    const direct =
      this.#guildId === '0' ||
      this.#channelType === 'DirectTextChat' ||
      this.#channelType === 'DirectGroupTextChat';
    const title =
      this.#channelName === undefined
        ? (this.#guildName ?? null)
        : direct || this.#guildName === undefined
          ? this.#channelName
          : `${this.#guildName} / #${this.#channelName}`;
    return {
      schema: CONVERSATION_SCHEMA_ID,
      id: `${FORMAT}:${this.#channelId ?? this.#options.sourceFile}`,
      platform: 'discord',
      kind: kindOf(this.#channelType),
      title,
      participants,
      messages: sortMessages(this.#messages),
      source: { format: FORMAT, file: this.#options.sourceFile },
    };
  }
}
