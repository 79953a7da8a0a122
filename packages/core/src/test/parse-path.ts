import type { Conversation, Message } from '../conversation.js';
import { openInput } from '../input.js';
import { collectParse, type ConversationParserV1, type ParseOptions } from '../parser.js';

/** Opens `path`, reads the parser's whole stream and closes it again: for tests. */
export async function parsePath(
  parser: ConversationParserV1,
  path: string,
  options: ParseOptions = {},
): ReturnType<typeof collectParse> {
  const input = await openInput(path);
  try {
    return await collectParse(parser.parse(input, options));
  } finally {
    await input.close();
  }
}

/** The conversation with this id; throws, naming the ids there are, when there is none. */
export function conversationById(conversations: readonly Conversation[], id: string): Conversation {
  const found = conversations.find((conversation) => conversation.id === id);
  if (!found)
    throw new Error(`no conversation ${id} in ${conversations.map((c) => c.id).join(', ')}`);
  return found;
}

/** The message with this id; throws when there is none. */
export function messageById(conversation: Conversation, id: string): Message {
  const found = conversation.messages.find((message) => message.id === id);
  if (!found) throw new Error(`no message ${id}`);
  return found;
}
