import { z } from 'zod';
import { CONVERSATION_SCHEMA_ID, ConversationSchema } from './conversation.js';

/** The public URL-like id of the published JSON Schema. */
export const CONVERSATION_JSON_SCHEMA_ID = 'https://alterego.dev/schema/conversation-1.schema.json';

/**
 * The Conversation spec as JSON Schema (draft 2020-12), for programs that do not use zod.
 * The cross-field rules (senders are participants, ascending times) are described, not encoded.
 */
export function conversationJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConversationSchema, { target: 'draft-2020-12', io: 'output' });
  return {
    $schema: generated.$schema,
    $id: CONVERSATION_JSON_SCHEMA_ID,
    title: 'alterego Conversation v1',
    description: `One conversation per line of a .jsonl file (schema "${CONVERSATION_SCHEMA_ID}"). Messages are ascending by time; every senderId and reaction senderId names a participant; at most one participant is self.`,
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}
