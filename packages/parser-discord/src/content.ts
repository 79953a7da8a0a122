import { normalizeText } from '@alterego/core';

/** A user the export lists in a message's `mentions`. */
export interface MentionedUser {
  id: string;
  name: string;
}

const CUSTOM_EMOJI = /<a?:([\w~-]+):\d+>/g;
const USER_MENTION = /<@!?(\d+)>/g;

/**
 * A message's `content` as the person typed it, the way Discord shows it: custom emoji markup
 * `<:name:123>` (and animated `<a:name:123>`) becomes `:name:`, and a user mention `<@123>` becomes
 * `@name` when the message's `mentions` list has that user (DiscordChatExporter usually writes
 * mentions as `@name` already). Other markdown is the person's style and is kept. NFC.
 */
export function readableContent(content: string, mentions: readonly MentionedUser[] = []): string {
  let text = content.includes('<') ? content.replace(CUSTOM_EMOJI, ':$1:') : content;
  if (mentions.length > 0 && text.includes('<@')) {
    const names = new Map(mentions.map((user) => [user.id, user.name]));
    text = text.replace(USER_MENTION, (markup, id: string) => {
      const name = names.get(id);
      return name === undefined ? markup : `@${name}`;
    });
  }
  return normalizeText(text);
}
