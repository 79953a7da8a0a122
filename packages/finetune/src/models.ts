/** What OpenAI publishes about a fine-tunable model. Prices in USD per million training tokens. */
export interface FineTunableModel {
  id: string;
  /** Longest training example, in tokens; longer ones are cut. */
  contextTokens: number;
  trainingPerMillion: number;
  /** Supports preference (DPO) training. */
  dpo: boolean;
}

/**
 * OpenAI's fine-tunable models with their training prices (openai.com/api/pricing, 2026). A
 * model missing here can still be trained; its cost is then shown as unknown.
 */
export const OPENAI_MODELS: readonly FineTunableModel[] = [
  { id: 'gpt-4.1-2025-04-14', contextTokens: 65_536, trainingPerMillion: 25, dpo: true },
  { id: 'gpt-4.1-mini-2025-04-14', contextTokens: 65_536, trainingPerMillion: 5, dpo: true },
  { id: 'gpt-4.1-nano-2025-04-14', contextTokens: 65_536, trainingPerMillion: 1.5, dpo: true },
  { id: 'gpt-4o-2024-08-06', contextTokens: 65_536, trainingPerMillion: 25, dpo: true },
  { id: 'gpt-4o-mini-2024-07-18', contextTokens: 65_536, trainingPerMillion: 3, dpo: true },
  { id: 'gpt-3.5-turbo-0125', contextTokens: 16_385, trainingPerMillion: 8, dpo: false },
  { id: 'gpt-3.5-turbo-1106', contextTokens: 16_385, trainingPerMillion: 8, dpo: false },
  { id: 'gpt-3.5-turbo-0613', contextTokens: 4_096, trainingPerMillion: 8, dpo: false },
];

/** The model `alterego finetune start` uses unless told otherwise. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini-2025-04-14';

/**
 * The model entry for an id: exact, then by family (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`),
 * then the base of a fine-tuned model (`ft:gpt-4o-mini-2024-07-18:org::id`).
 */
export function findModel(id: string): FineTunableModel | undefined {
  const base = id.startsWith('ft:') ? (id.split(':')[1] ?? id) : id;
  return (
    OPENAI_MODELS.find((model) => model.id === base) ??
    OPENAI_MODELS.find(
      (model) => model.id.startsWith(`${base}-`) && /^-\d{4}-/.test(model.id.slice(base.length)),
    )
  );
}

/**
 * The number of epochs the service picks when none is given, from the example count (the
 * OpenAI cookbook's rule: aim for 3 epochs, at least 100 and at most 25,000 examples seen).
 */
export function defaultEpochs(examples: number): number {
  if (examples <= 0) return 1;
  if (examples * 3 < 100) return Math.min(25, Math.floor(100 / examples));
  if (examples * 3 > 25_000) return Math.max(1, Math.floor(25_000 / examples));
  return 3;
}

/**
 * Fine-tuning suffixes: up to 64 characters; letters, digits, `-`, `_` and `.`. Returns the
 * reason a suffix is refused, or undefined when it is fine.
 */
export function checkSuffix(suffix: string): string | undefined {
  if (suffix.length === 0) return 'the suffix is empty';
  if (suffix.length > 64)
    return `the suffix has ${suffix.length} characters; at most 64 are allowed`;
  const bad = /[^A-Za-z0-9._-]/.exec(suffix);
  if (bad) {
    return `the suffix contains ${JSON.stringify(bad[0])}; use only letters, digits, "-", "_" and "."`;
  }
  return undefined;
}
