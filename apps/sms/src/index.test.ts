import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'AnswerCache',
      'EMPTY_TWIML',
      'EXIT_BAD_CONFIG',
      'EXIT_MISSING_CONFIG',
      'KEYWORDS',
      'RateLimiter',
      'SEGMENT_LIMITS',
      'SMS_CONFIG_FILE',
      'SmsConfigError',
      'TWILIO_UNSUBSCRIBED',
      'TwilioApiError',
      'capBubbles',
      'classifyKeyword',
      'computeTwilioSignature',
      'countSegments',
      'createChatFactory',
      'createSmsServer',
      'escapeXml',
      'loadSmsConfig',
      'messagingTwiml',
      'openOptOutStore',
      'parseSmsConfig',
      'sendTwilioMessage',
      'signatureUrlVariants',
      'smsEncoding',
      'validateTwilioSignature',
    ]);
  });
});
