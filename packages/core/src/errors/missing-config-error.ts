import { AlteregoError } from './alterego-error.js';

const marker = 'alterego.error.missing-config';
const symbol = Symbol.for(marker);

export interface MissingConfigErrorOptions {
  /** The setting that is missing, e.g. `apiKey`. */
  setting: string;
  /** The environment variable that can provide it, e.g. `OPENAI_API_KEY`. */
  environmentVariable?: string;
  /** The command-line flag that can provide it, e.g. `--api-key`. */
  flag?: string;
  cause?: unknown;
}

/** A required key or setting is missing. The message says every way to provide it. */
export class MissingConfigError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly setting: string;
  readonly environmentVariable: string | undefined;
  readonly flag: string | undefined;

  constructor(options: MissingConfigErrorOptions) {
    const ways = [
      options.flag ? `pass it with ${options.flag}` : undefined,
      options.environmentVariable ? `set ${options.environmentVariable}` : undefined,
      `add "${options.setting}" to alterego.config.json`,
    ].filter(Boolean);
    super(`${options.setting} is missing. ${capitalise(ways.join(', or '))}.`, options);
    this.name = 'MissingConfigError';
    this.setting = options.setting;
    this.environmentVariable = options.environmentVariable;
    this.flag = options.flag;
  }

  static override isInstance(error: unknown): error is MissingConfigError {
    return AlteregoError.hasMarker(error, marker);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
