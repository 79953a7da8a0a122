import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'ATTACHMENT_TYPES',
      'AlteregoError',
      'AttachmentSchema',
      'AttachmentTypeSchema',
      'CONVERSATION_JSON_SCHEMA_ID',
      'CONVERSATION_SCHEMA_ID',
      'ConversationSchema',
      'ConversationSourceSchema',
      'InstantSchema',
      'MESSAGE_TYPES',
      'MessageSchema',
      'MessageTypeSchema',
      'MissingConfigError',
      'PLATFORMS',
      'ParseError',
      'ParticipantSchema',
      'PlatformSchema',
      'ReactionSchema',
      'UnsupportedFormatError',
      'ValidationError',
      'collectParse',
      'conversationJsonSchema',
      'createConversationJsonlParser',
      'createIdentityMatcher',
      'createParserRegistry',
      'describeInput',
      'displayPath',
      'formatPlace',
      'formatZodError',
      'isZipHead',
      'localTimeZone',
      'looksLikeText',
      'nameKey',
      'normalizeText',
      'openInput',
      'phoneKey',
      'readConversationsJsonl',
      'readLineBatches',
      'readLines',
      'resolveTimeZone',
      'safeEntryPath',
      'sortMessages',
      'stripDirectionMarks',
      'toJsonLines',
      'withInput',
      'writeFileAtomic',
      'writeJsonlAtomic',
      'zoneOffset',
      'zonedTimeToInstant',
      'zonedTimeToIso',
    ]);
  });

  it('exports the test kit from @alterego/core/test', async () => {
    expect(Object.keys(await import('./test/index.js')).sort()).toEqual([
      'PLATFORM_MARKERS',
      'checkConversations',
      'createZip',
      'defineBenchmark',
      'describeParserConformance',
      'runConformance',
    ]);
  });
});
