import { complete, modelServer, type ModelServerOptions } from './model-server.js';
import type { ChatTurn, Persona, ReplyBackend } from './types.js';

export type FinetunedBackendOptions = ModelServerOptions;

/** The messages a fine-tuned model was trained on: the persona prompt, then the turns. */
export function trainedMessages(
  persona: Persona,
  history: readonly ChatTurn[],
): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  return [
    ...(persona.systemPrompt === ''
      ? []
      : [{ role: 'system' as const, content: persona.systemPrompt }]),
    ...history.map((turn) => ({ role: turn.role, content: turn.content })),
  ];
}

/**
 * Answers with a model fine-tuned on the dataset, on OpenAI or on any OpenAI-compatible server
 * (Ollama, vLLM, llama.cpp, mlx_lm.server) by base URL. The model sees exactly what it was
 * trained on: the persona's system prompt (when there is one) and the conversation's turns, user
 * turns already labelled with the speaker when the persona was trained with labels.
 */
export function createFinetunedBackend(options: FinetunedBackendOptions): ReplyBackend {
  const server = modelServer(options);
  return {
    name: 'finetuned',
    reply: (request) =>
      complete(server, options, trainedMessages(request.persona, request.history), {
        signal: request.signal,
        backend: 'finetuned',
      }),
  };
}
