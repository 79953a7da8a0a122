export { createChatFactory, type ChatFactory, type SmsChat } from './chat-factory.js';
export {
  EXIT_BAD_CONFIG,
  EXIT_MISSING_CONFIG,
  SMS_CONFIG_FILE,
  SmsConfigError,
  loadSmsConfig,
  parseSmsConfig,
  type SmsBackendName,
  type SmsConfig,
  type SmsConfigFile,
  type SmsConfigSource,
  type SmsLogLevel,
  type SmsRoute,
} from './config.js';
export { AnswerCache } from './dedupe.js';
export { KEYWORDS, classifyKeyword, type KeywordKind } from './keywords.js';
export { openOptOutStore, type OptOutStore } from './opt-outs.js';
export { RateLimiter, type RateLimitOptions } from './rate-limit.js';
export {
  SEGMENT_LIMITS,
  capBubbles,
  countSegments,
  smsEncoding,
  type SmsEncoding,
} from './segments.js';
export { createSmsServer, type SmsServerDeps } from './server.js';
export {
  computeTwilioSignature,
  signatureUrlVariants,
  validateTwilioSignature,
  type TwilioParams,
} from './signature.js';
export {
  TWILIO_UNSUBSCRIBED,
  TwilioApiError,
  sendTwilioMessage,
  type TwilioRestOptions,
} from './twilio-rest.js';
export { EMPTY_TWIML, escapeXml, messagingTwiml } from './twiml.js';
