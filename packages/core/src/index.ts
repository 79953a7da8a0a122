export {
  ATTACHMENT_TYPES,
  AttachmentSchema,
  AttachmentTypeSchema,
  CONVERSATION_SCHEMA_ID,
  ConversationSchema,
  ConversationSourceSchema,
  InstantSchema,
  MESSAGE_TYPES,
  MessageSchema,
  MessageTypeSchema,
  PLATFORMS,
  ParticipantSchema,
  PlatformSchema,
  ReactionSchema,
  sortMessages,
  type Attachment,
  type AttachmentType,
  type Conversation,
  type ConversationSource,
  type Message,
  type MessageType,
  type Participant,
  type Platform,
  type Reaction,
} from './conversation.js';
export { CONVERSATION_JSON_SCHEMA_ID, conversationJsonSchema } from './json-schema.js';
export {
  collectParse,
  createParseWarning,
  type ConversationParserV1,
  type Detection,
  type ParseEvent,
  type ParseOptions,
  type ParseWarning,
} from './parser.js';
export {
  createParserRegistry,
  describeInput,
  looksLikeText,
  type ParserMatch,
  type ParserRegistry,
} from './registry.js';
export {
  combineInputs,
  displayPath,
  isZipHead,
  openInput,
  safeEntryPath,
  sourceFilePath,
  withInput,
  type InputEntry,
  type InputKind,
  type InputSource,
} from './input.js';
export { readLineBatches, readLines, type ReadLinesOptions } from './lines.js';
export {
  formatJsonPath,
  invalidElementWarning,
  streamJson,
  type JsonPath,
  type JsonPathSegment,
  type JsonStreamEvent,
  type JsonStreamOptions,
} from './json-stream.js';
export {
  formatZodError,
  readConversationsJsonl,
  toJsonLines,
  writeJsonlAtomic,
  type ReadConversationsOptions,
} from './jsonl.js';
export { createConversationJsonlParser } from './jsonl-parser.js';
export { writeFileAtomic } from './atomic-write.js';
export {
  localTimeZone,
  resolveTimeZone,
  zonedTimeToInstant,
  zonedTimeToIso,
  zoneOffset,
  type WallClockTime,
} from './zoned-time.js';
export {
  createIdentityMatcher,
  rankSelfMatches,
  type IdentityCandidate,
  type IdentityMatcher,
} from './identity.js';
export { nameKey, normalizeText, phoneKey, stripDirectionMarks } from './text.js';
export { AlteregoError, type AlteregoErrorOptions } from './errors/alterego-error.js';
export { ParseError, formatPlace, type ParseErrorOptions } from './errors/parse-error.js';
export {
  UnsupportedFormatError,
  type UnsupportedFormatErrorOptions,
} from './errors/unsupported-format-error.js';
export { ValidationError, type ValidationErrorOptions } from './errors/validation-error.js';
export {
  MissingConfigError,
  type MissingConfigErrorOptions,
} from './errors/missing-config-error.js';
