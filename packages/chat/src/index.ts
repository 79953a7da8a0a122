export { ChatError, type ChatErrorKind, type ChatErrorOptions } from './chat-error.js';
export { openChatMemory, type ChatMemory, type ChatMemoryOptions } from './chat-memory.js';
export { createChat, type Chat, type ChatOptions } from './create-chat.js';
export { createFewShotBackend, type FewShotBackendOptions } from './fewshot-backend.js';
export { createFinetunedBackend, type FinetunedBackendOptions } from './finetuned-backend.js';
export type { ModelServerOptions } from './model-server.js';
export { loadPersona, personaFromManifest } from './persona.js';
export {
  REPLY_INDEX_FILE,
  createReplyIndex,
  openReplyIndex,
  type ReplyIndex,
} from './reply-index.js';
export { createRetrievalBackend, type RetrievalBackendOptions } from './retrieval-backend.js';
export { stripControls } from './printable.js';
export { splitBubbles, type BubbleLimits } from './split-bubbles.js';
export type {
  ChatReply,
  ChatTurn,
  Counterpart,
  Exchange,
  Persona,
  ReplyBackend,
  ReplyLimits,
  ReplyRequest,
  ReplyResult,
} from './types.js';
