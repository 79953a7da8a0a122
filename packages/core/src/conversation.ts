import { z } from 'zod';

/** The value of `schema` on every Conversation of this version. */
export const CONVERSATION_SCHEMA_ID = 'alterego.conversation/1';

/** Platforms a Conversation can come from. New platforms are added in minor versions. */
export const PLATFORMS = [
  'messenger',
  'instagram',
  'imessage',
  'whatsapp',
  'twitter',
  'telegram',
  'discord',
  'slack',
  'signal',
] as const;

/** Message types. Only `text` carries words a person typed. */
export const MESSAGE_TYPES = [
  'text',
  'media',
  'sticker',
  'call',
  'system',
  'deleted',
  'repost',
  'reaction',
  'poll',
  'location',
  'contact',
] as const;

export const ATTACHMENT_TYPES = [
  'image',
  'video',
  'audio',
  'file',
  'sticker',
  'gif',
  'link',
  'location',
  'contact',
] as const;

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as ISO-8601 UTC with milliseconds: `2023-12-30T21:15:00.000Z`. */
export const InstantSchema = z
  .string()
  .regex(
    ISO_UTC_MILLIS,
    'expected an ISO-8601 UTC time with milliseconds, like 2023-12-30T21:15:00.000Z',
  )
  .refine(isCalendarTime, 'expected a real calendar time')
  .describe('ISO-8601 UTC with milliseconds, e.g. 2023-12-30T21:15:00.000Z');

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Month, day, hour, minute and second in range, for a string already matching ISO_UTC_MILLIS. */
function isCalendarTime(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return false;
  return (
    Number(value.slice(11, 13)) < 24 &&
    Number(value.slice(14, 16)) < 60 &&
    Number(value.slice(17, 19)) < 60
  );
}

function isNfc(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    // Characters below U+0300 never change under NFC; only look further when one is found.
    if (value.charCodeAt(index) >= 0x300) return value.normalize('NFC') === value;
  }
  return true;
}

/** Text in Unicode NFC. */
const NfcTextSchema = z.string().refine(isNfc, 'expected text in Unicode NFC');

export const PlatformSchema = z.enum(PLATFORMS);
export const MessageTypeSchema = z.enum(MESSAGE_TYPES);
export const AttachmentTypeSchema = z.enum(ATTACHMENT_TYPES);

export const ParticipantSchema = z
  .object({
    id: z.string().min(1).describe('Stable within the conversation; referenced by senderId'),
    name: NfcTextSchema.describe('Display name as the export shows it'),
    handles: z
      .array(z.string().min(1))
      .optional()
      .describe('Phone numbers, e-mail addresses, user names'),
    self: z.boolean().describe('True for the person who exported the chat'),
  })
  .strict();

export const AttachmentSchema = z
  .object({
    type: AttachmentTypeSchema,
    name: z.string().optional().describe('File name or title'),
    uri: z.string().optional().describe('Path inside the export, or a URL'),
  })
  .strict();

export const ReactionSchema = z
  .object({
    emoji: z.string().min(1),
    senderId: z.string().min(1).describe('A participant id'),
  })
  .strict();

export const MessageSchema = z
  .object({
    id: z.string().min(1).describe('Unique within the conversation, stable across re-imports'),
    senderId: z.string().min(1).nullable().describe('A participant id; null for system lines'),
    time: InstantSchema,
    type: MessageTypeSchema,
    text: NfcTextSchema.describe(
      'What the person typed, NFC, platform markers removed; "" when none',
    ),
    attachments: z.array(AttachmentSchema).optional(),
    reactions: z.array(ReactionSchema).optional(),
    replyTo: z.string().min(1).optional().describe('Id of the message replied to'),
    edited: z.literal(true).optional(),
  })
  .strict();

export const ConversationSourceSchema = z
  .object({
    format: z.string().min(1).describe('The parser format id, e.g. whatsapp-txt'),
    file: z.string().describe('Relative to the input the user gave'),
  })
  .strict();

const ConversationShape = z
  .object({
    schema: z.literal(CONVERSATION_SCHEMA_ID),
    id: z.string().min(1).describe('Stable across re-imports of the same export'),
    platform: PlatformSchema,
    kind: z.enum(['direct', 'group', 'posts']).describe("posts = one author's feed (tweets)"),
    title: z.string().nullable(),
    participants: z.array(ParticipantSchema),
    messages: z.array(MessageSchema).describe('Ascending by time'),
    source: ConversationSourceSchema,
  })
  .strict();

/**
 * One conversation of the Conversation spec v1, with the rules that tie its parts together:
 * unique participant and message ids, every sender and reactor a participant, at most one
 * `self`, messages ascending by time.
 */
export const ConversationSchema = ConversationShape.superRefine((conversation, ctx) => {
  const participantIds = new Set<string>();
  let selfCount = 0;
  conversation.participants.forEach((participant, index) => {
    if (participantIds.has(participant.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['participants', index, 'id'],
        message: `duplicate participant id "${participant.id}"`,
      });
    }
    participantIds.add(participant.id);
    if (participant.self) selfCount += 1;
  });
  if (selfCount > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['participants'],
      message: `at most one participant can be self, found ${selfCount}`,
    });
  }
  const messageIds = new Set<string>();
  let previous = '';
  conversation.messages.forEach((message, index) => {
    if (messageIds.has(message.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages', index, 'id'],
        message: `duplicate message id "${message.id}"`,
      });
    }
    messageIds.add(message.id);
    if (message.senderId !== null && !participantIds.has(message.senderId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages', index, 'senderId'],
        message: `sender "${message.senderId}" is not a participant`,
      });
    }
    message.reactions?.forEach((reaction, reactionIndex) => {
      if (!participantIds.has(reaction.senderId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', index, 'reactions', reactionIndex, 'senderId'],
          message: `reaction sender "${reaction.senderId}" is not a participant`,
        });
      }
    });
    // ISO strings of one fixed shape compare in time order.
    if (message.time < previous) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages', index, 'time'],
        message: `messages must be ascending by time: ${message.time} comes after ${previous}`,
      });
    }
    previous = message.time;
  });
});

export type Platform = z.infer<typeof PlatformSchema>;
export type MessageType = z.infer<typeof MessageTypeSchema>;
export type AttachmentType = z.infer<typeof AttachmentTypeSchema>;
export type Participant = z.infer<typeof ParticipantSchema>;
export type Attachment = z.infer<typeof AttachmentSchema>;
export type Reaction = z.infer<typeof ReactionSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type ConversationSource = z.infer<typeof ConversationSourceSchema>;
export type Conversation = z.infer<typeof ConversationSchema>;

/** Sorts messages ascending by time, keeping the file order of messages at the same instant. */
export function sortMessages(messages: Message[]): Message[] {
  // Array.prototype.sort is stable.
  return messages.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
