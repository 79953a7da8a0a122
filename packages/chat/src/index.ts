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
