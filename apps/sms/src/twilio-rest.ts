/** Where and as whom replies are sent through Twilio's REST API. */
export interface TwilioRestOptions {
  /** `https://api.twilio.com`, or an emulator's URL. */
  apiBase: string;
  accountSid: string;
  authToken: string;
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** The first retry's delay in ms, doubled on each retry (default 500). */
  backoffMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Twilio refused to send a message. Carries the HTTP status and Twilio's error code (21610: the
 * recipient replied STOP), never the message text or the numbers.
 */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(
      status === 0
        ? 'could not reach the Twilio API'
        : `the Twilio API answered HTTP ${status}${code === undefined ? '' : ` (error ${code})`}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'TwilioApiError';
  }

  /** True when retrying cannot help (4xx other than 429). */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

/** Error 21610: the recipient has opted out, so Twilio refuses every message to them. */
export const TWILIO_UNSUBSCRIBED = 21610;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;
}

/**
 * Sends one SMS: POST {apiBase}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded
 * To, From and Body, Basic auth. Retries network failures, 429 and 5xx with exponential backoff
 * (honouring Retry-After); resolves with the new message's sid.
 */
export async function sendTwilioMessage(
  message: { from: string; to: string; body: string },
  options: TwilioRestOptions,
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 500;
  const url = `${options.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const body = new URLSearchParams({ To: message.to, From: message.from, Body: message.body });
  let lastError: TwilioApiError | undefined;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    let delay = backoffMs * 2 ** attempt;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: body.toString(),
        signal: options.signal,
      });
      const json = (await response.json().catch(() => ({}))) as { sid?: unknown; code?: unknown };
      if (response.ok) return typeof json.sid === 'string' ? json.sid : '';
      lastError = new TwilioApiError(
        response.status,
        typeof json.code === 'number' ? json.code : undefined,
      );
      if (lastError.permanent) throw lastError;
      delay = retryAfterMs(response) ?? delay;
    } catch (error) {
      if (error instanceof TwilioApiError) throw error;
      if (options.signal?.aborted) throw error;
      lastError = new TwilioApiError(0, undefined, { cause: error });
    }
    if (attempt + 1 < attempts) await sleep(delay, options.signal);
  }
  throw lastError ?? new TwilioApiError(0, undefined);
}
