/** What the hosted service charges and accepts for one fine-tunable model. */
export interface FineTuneModel {
  /** The model id to fine-tune. */
  id: string;
  /** Most tokens of one training example; longer ones are truncated by the service. */
  contextTokens: number;
  /** US dollars per million trained tokens (tokens in the file × epochs). */
  trainingUsdPerMillion: number;
  /** Can be trained on preference pairs (DPO) as well as on chat examples. */
  dpo: boolean;
  /** Where the numbers come from. */
  source: string;
}

/** When the table below was last checked against its sources. */
export const MODEL_TABLE_DATE = '2026-08-22';

/**
 * Fine-tunable chat models with their training context, training price and DPO support. Prices
 * from openai.com/api/pricing; context limits from OpenAI's fine-tuning guide and Azure OpenAI's
 * model table; DPO support from OpenAI's preference fine-tuning guide. The gpt-4.1 limits are
 * not published per model: check your organisation's `/v1/fine_tuning/model_limits` before
 * relying on them.
 */
export const FINE_TUNE_MODELS: readonly FineTuneModel[] = [
  {
    id: 'gpt-4.1-2025-04-14',
    contextTokens: 65_536,
    trainingUsdPerMillion: 25,
    dpo: true,
    source:
      'openai.com/api/pricing; context as gpt-4o (unpublished, see /v1/fine_tuning/model_limits)',
  },
  {
    id: 'gpt-4.1-mini-2025-04-14',
    contextTokens: 65_536,
    trainingUsdPerMillion: 5,
    dpo: true,
    source:
      'openai.com/api/pricing; context as gpt-4o (unpublished, see /v1/fine_tuning/model_limits)',
  },
  {
    id: 'gpt-4.1-nano-2025-04-14',
    contextTokens: 65_536,
    trainingUsdPerMillion: 1.5,
    dpo: true,
    source:
      'openai.com/api/pricing; context as gpt-4o (unpublished, see /v1/fine_tuning/model_limits)',
  },
  {
    id: 'gpt-4o-2024-08-06',
    contextTokens: 65_536,
    trainingUsdPerMillion: 25,
    dpo: true,
    source:
      'openai.com/api/pricing; Azure OpenAI fine-tuning models table (training context 65,536)',
  },
  {
    id: 'gpt-4o-mini-2024-07-18',
    contextTokens: 65_536,
    trainingUsdPerMillion: 3,
    dpo: true,
    source:
      'openai.com/api/pricing; Azure OpenAI fine-tuning models table (training context 65,536)',
  },
  {
    id: 'gpt-3.5-turbo-0125',
    contextTokens: 16_385,
    trainingUsdPerMillion: 8,
    dpo: false,
    source: 'openai.com/api/pricing; OpenAI cookbook chat fine-tuning data preparation (16,385)',
  },
];

/** The model `build` and `validate` size examples and estimate cost for unless told otherwise. */
export const DEFAULT_MODEL = 'gpt-4.1-mini-2025-04-14';

/**
 * The model of the table with this id. A fine-tuned model (`ft:gpt-4o-mini-2024-07-18:org::id`)
 * and a dated alias's base name (`gpt-4o-mini`) resolve to their base model.
 */
export function findModel(id: string): FineTuneModel | undefined {
  const base = id.startsWith('ft:') ? (id.split(':')[1] ?? '') : id;
  return (
    FINE_TUNE_MODELS.find((model) => model.id === base) ??
    FINE_TUNE_MODELS.find((model) => model.id.startsWith(`${base}-`))
  );
}

/** The service's default epoch rule (OpenAI cookbook): aim for 3 epochs and 100 to 25,000 example visits. */
export function defaultEpochs(trainExamples: number): number {
  const TARGET_EPOCHS = 3;
  const MIN_TARGET_EXAMPLES = 100;
  const MAX_TARGET_EXAMPLES = 25_000;
  const MIN_DEFAULT_EPOCHS = 1;
  const MAX_DEFAULT_EPOCHS = 25;
  if (trainExamples <= 0) return 0;
  if (trainExamples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) {
    return Math.min(MAX_DEFAULT_EPOCHS, Math.floor(MIN_TARGET_EXAMPLES / trainExamples));
  }
  if (trainExamples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) {
    return Math.max(MIN_DEFAULT_EPOCHS, Math.floor(MAX_TARGET_EXAMPLES / trainExamples));
  }
  return TARGET_EPOCHS;
}

/** What training on a file would cost with one model. */
export interface CostEstimate {
  model: string;
  contextTokens: number;
  /** Examples longer than the context, which the service truncates. */
  examplesOverLimit: number;
  /** Tokens billed per epoch: every example counted up to the context limit. */
  billedTokensPerEpoch: number;
  epochs: number;
  trainedTokens: number;
  trainingUsdPerMillion: number;
  /** Rounded to cents. */
  usd: number;
}

/**
 * Adds example lengths up per model, so that the cost table needs no second pass and no list of
 * every example.
 */
export class CostAccumulator {
  private readonly billed: number[];
  private readonly over: number[];
  private examples = 0;

  constructor(private readonly models: readonly FineTuneModel[] = FINE_TUNE_MODELS) {
    this.billed = models.map(() => 0);
    this.over = models.map(() => 0);
  }

  add(tokens: number): void {
    this.examples += 1;
    this.models.forEach((model, index) => {
      this.billed[index]! += Math.min(model.contextTokens, tokens);
      if (tokens > model.contextTokens) this.over[index]! += 1;
    });
  }

  estimates(epochs = defaultEpochs(this.examples)): CostEstimate[] {
    return this.models.map((model, index) => {
      const trainedTokens = this.billed[index]! * epochs;
      return {
        model: model.id,
        contextTokens: model.contextTokens,
        examplesOverLimit: this.over[index]!,
        billedTokensPerEpoch: this.billed[index]!,
        epochs,
        trainedTokens,
        trainingUsdPerMillion: model.trainingUsdPerMillion,
        usd: Math.round((trainedTokens / 1_000_000) * model.trainingUsdPerMillion * 100) / 100,
      };
    });
  }
}
