import { complete, modelServer, type ModelServerOptions } from './model-server.js';
import type { ReplyIndex } from './reply-index.js';
import type { ChatTurn, Exchange, Persona, ReplyBackend } from './types.js';

export interface FewShotBackendOptions extends ModelServerOptions {
  /** The person's past exchanges to draw examples from. */
  index: ReplyIndex;
  /** How many past exchanges to show the model (default 8). */
  examples?: number;
}

/** Turns before the last one used to find examples when the last one matches nothing. */
const CONTEXT_TURNS = 4;

/** The exchanges most like the last user turn (or, failing that, the turns before it). */
export function similarExchanges(
  index: ReplyIndex,
  history: readonly ChatTurn[],
  limit: number,
): Exchange[] {
  if (limit < 1 || index.size === 0) return [];
  const lastIndex = history.findLastIndex((turn) => turn.role === 'user');
  const found = index.search(history[lastIndex]?.content ?? '', limit);
  if (found.length > 0) return found;
  const context = history
    .slice(Math.max(0, lastIndex - CONTEXT_TURNS), Math.max(0, lastIndex))
    .map((turn) => turn.content)
    .join('\n');
  return index.search(context, limit);
}

/**
 * The turns to send after the examples. Examples end with an assistant message, so a leading
 * assistant turn is left out: strict chat templates require user and assistant to alternate.
 */
function conversation(history: readonly ChatTurn[], afterExamples: boolean): readonly ChatTurn[] {
  if (!afterExamples) return history;
  const first = history.findIndex((turn) => turn.role === 'user');
  return first <= 0 ? history : history.slice(first);
}

/** The system message of a few-shot request: the persona prompt and what the examples are. */
export function fewShotSystemPrompt(persona: Persona, examples: number): string {
  if (examples === 0) return persona.systemPrompt;
  const who = persona.name === 'me' ? 'you' : persona.name;
  const note =
    `The first ${examples === 1 ? 'exchange below is a real example' : `${examples} exchanges below are real examples`} ` +
    `of how ${who} replied in other conversations: match their style, length and language. ` +
    'After them comes the current conversation; answer its last message.';
  return persona.systemPrompt === '' ? note : `${persona.systemPrompt}\n\n${note}`;
}

/**
 * Answers with a general (not fine-tuned) model prompted with the person's own past replies: the
 * persona prompt, then the past exchanges most similar to the incoming message as example
 * user/assistant message pairs (least similar first, so the closest one is nearest the
 * conversation), then the conversation. The system message says which pairs are examples.
 * Works with any chat model on OpenAI or an OpenAI-compatible server; no training needed.
 */
export function createFewShotBackend(options: FewShotBackendOptions): ReplyBackend {
  const server = modelServer(options);
  const limit = Math.max(0, Math.floor(options.examples ?? 8));
  return {
    name: 'fewshot',
    reply(request) {
      const found = similarExchanges(options.index, request.history, limit);
      const system = fewShotSystemPrompt(request.persona, found.length);
      const messages = [
        ...(system === '' ? [] : [{ role: 'system' as const, content: system }]),
        ...[...found].reverse().flatMap((exchange) => [
          { role: 'user' as const, content: exchange.prompt },
          { role: 'assistant' as const, content: exchange.reply },
        ]),
        ...conversation(request.history, found.length > 0).map((turn) => ({
          role: turn.role,
          content: turn.content,
        })),
      ];
      return complete(server, options, messages, {
        signal: request.signal,
        backend: 'fewshot',
        exchanges: found,
      });
    },
  };
}
