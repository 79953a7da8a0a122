/**
 * The contract of @alterego/chat: what every backend, the runtime and the channels (terminal, web
 * page, SMS) share. Kept in one file so that channels can be written against it.
 */

/** One turn of a conversation as the model sees it: the same shape as a training example's. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  /**
   * Consecutive messages of one side joined with newlines, exactly as @alterego/dataset merged
   * them for training (so an assistant turn's lines are the person's separate bubbles).
   */
  content: string;
}

/**
 * Who the alter ego is, read from a dataset's `manifest.json` so that serving uses the same
 * system prompt and turn format as training.
 */
export interface Persona {
  /** The person's name (`{name}` in the system prompt). */
  name: string;
  /** The system prompt every training example started with; empty when there was none. */
  systemPrompt: string;
  /** A silence longer than this starts a new conversation (the training session gap). */
  sessionGapMinutes: number;
  /** Group chats were trained with speaker labels in user turns ("Alex: …"). */
  labelSpeakers: boolean;
  /** The longest reply the dataset trained on, in characters (the reply length limit). */
  maxReplyChars: number;
  /** The model the dataset was sized for. */
  model: string;
}

/** Who the alter ego is talking to. */
export interface Counterpart {
  /** Stable id: a phone number, a web session id, `terminal`. Keys the memory. */
  id: string;
  /** Display name, used as the speaker label when the persona labels speakers. */
  name?: string;
}

/** What a backend is asked: answer the last user turn of `history`. */
export interface ReplyRequest {
  persona: Persona;
  /** The conversation so far (oldest first); the last turn is the user turn to answer. */
  history: readonly ChatTurn[];
  counterpart: Counterpart;
  /** Cancels the request (time limit, Ctrl-C, a channel that gave up waiting). */
  signal?: AbortSignal;
}

/** A past exchange of the person's, from the retrieval index. */
export interface Exchange {
  /** What was said to the person (a user turn of the training data). */
  prompt: string;
  /** What the person answered (the assistant turn after it). */
  reply: string;
  /** Relevance, higher is better (comparable within one search only). */
  score: number;
}

/** What a backend answered. */
export interface ReplyResult {
  /** The reply, with newlines between bubbles, as in training data. */
  text: string;
  /** The backend that produced it (`finetuned`, `fewshot`, `retrieval`, or a custom name). */
  backend: string;
  /** The model that produced it, for model backends. */
  model?: string;
  /** Token usage reported by the model server. */
  usage?: { promptTokens: number; completionTokens: number };
  /** The past exchanges the reply was based on (retrieval and few-shot backends). */
  exchanges?: readonly Exchange[];
}

/** Turns a conversation into the person's next reply. */
export interface ReplyBackend {
  /** `finetuned`, `fewshot`, `retrieval`, or a custom name. */
  readonly name: string;
  /**
   * True for a backend that answers from memory without waiting on anything (retrieval): the
   * runtime then skips the time limit's timer and abort signal, which cost more than its answer.
   */
  readonly local?: boolean;
  reply(request: ReplyRequest): Promise<ReplyResult>;
  /** Releases files and connections. */
  close?(): void | Promise<void>;
}

/** Limits the runtime enforces on every reply. */
export interface ReplyLimits {
  /** Most characters of one reply, all bubbles together (default: the persona's maxReplyChars). */
  maxChars?: number;
  /** Most bubbles of one reply (default 6). */
  maxBubbles?: number;
  /** Most time a backend may take, in ms (default 30,000); then the fallback answers, or an error. */
  timeoutMs?: number;
}

/** What the runtime sends back to a channel for one incoming batch of messages. */
export interface ChatReply {
  /** The reply split into the separate messages the person would send, in order. */
  bubbles: string[];
  /** The backend that answered (the fallback's name when it had to step in). */
  backend: string;
  model?: string;
  /** Set when the primary backend failed and the fallback answered: why it failed. */
  fallbackReason?: string;
  /** Time the backend took, in ms. */
  elapsedMs: number;
}
