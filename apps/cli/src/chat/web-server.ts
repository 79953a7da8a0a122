import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatError } from '@alterego/chat';
import type { ChatSession } from './session.js';
import { renderChatPage } from './web-page.js';

/** Most bytes of one API request body. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Most messages in one batch, and most characters in one message. */
export const MAX_MESSAGES = 20;
export const MAX_MESSAGE_CHARS = 2000;

const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface WebChatOptions {
  session: ChatSession;
  /** Port on 127.0.0.1; 0 (default) takes any free one. */
  port?: number;
  /** The API token (default: 32 random bytes, hex). */
  token?: string;
  /** Most bytes of a request body (default 64 kB). */
  maxBodyBytes?: number;
  /** How long the page waits for more messages before it sends a batch (default 1.2 s). */
  batchDelayMs?: number;
  /** Called with each reply that failed, to tell the user on the terminal. */
  onError?: (error: unknown) => void;
}

export interface WebChat {
  /** The page's address, with the token: open it in a browser. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Stops listening, cuts open connections and cancels replies under way. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sameToken = (given: string | undefined, token: string) => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(413, `the request is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{ messages: string[] }`: 1 to 20 non-empty messages of at most 2,000 characters. */
export function parseMessages(text: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'expected a JSON body: {"messages": ["…"]}');
  }
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (
    !Array.isArray(messages) ||
    messages.length === 0 ||
    messages.length > MAX_MESSAGES ||
    !messages.every((message) => typeof message === 'string')
  ) {
    throw new HttpError(400, `expected "messages": 1 to ${MAX_MESSAGES} strings`);
  }
  const trimmed = (messages as string[]).map((message) => message.trim());
  if (trimmed.some((message) => message === '' || message.length > MAX_MESSAGE_CHARS)) {
    throw new HttpError(400, `expected each message to have 1 to ${MAX_MESSAGE_CHARS} characters`);
  }
  return trimmed;
}

/**
 * Serves the web chat on 127.0.0.1: the page at `/?token=…` and `POST /api/messages`
 * (`{messages}` → `{bubbles, backend}`), with the page's session id (header
 * `x-alterego-session`) as the counterpart. Every request must name this server as its Host, come
 * from its own origin when it says where from, and carry the token (the page's query, or the
 * `x-alterego-token` header of the API), so that other pages and sites cannot drive it. The
 * batches of one session are answered one after another, in order.
 */
export async function startWebChat(options: WebChatOptions): Promise<WebChat> {
  const { session } = options;
  const token = options.token ?? randomBytes(32).toString('hex');
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const controller = new AbortController();
  const queues = new Map<string, Promise<unknown>>();
  let port = 0;

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !allowedHosts().includes(host)) {
      throw new HttpError(403, 'unexpected Host');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin.toLowerCase())) {
      throw new HttpError(403, 'cross-origin requests are not allowed');
    }
    const url = new URL(request.url ?? '/', `http://${host}`);

    if (url.pathname === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      if (!sameToken(url.searchParams.get('token') ?? undefined, token)) {
        throw new HttpError(403, 'open the address alterego chat --web printed, with its token');
      }
      const nonce = randomBytes(16).toString('base64');
      const page = renderChatPage({
        name: session.persona.name,
        backend: session.backend,
        token,
        nonce,
        ...(options.batchDelayMs === undefined ? {} : { batchDelayMs: options.batchDelayMs }),
      });
      send(response, 200, page, 'text/html; charset=utf-8', {
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'x-frame-options': 'DENY',
      });
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname !== '/api/messages' && url.pathname !== '/api/reset') {
      throw new HttpError(404, 'not found');
    }
    if (request.method !== 'POST') throw new HttpError(405, 'use POST');
    const given = request.headers['x-alterego-token'];
    if (!sameToken(typeof given === 'string' ? given : undefined, token)) {
      throw new HttpError(403, 'missing or wrong x-alterego-token');
    }
    const sessionId = request.headers['x-alterego-session'];
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      throw new HttpError(
        400,
        'expected an x-alterego-session header (8 to 64 letters and digits)',
      );
    }
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new HttpError(415, 'expected content-type: application/json');
    }
    const text = await readBody(request, limit);
    const counterpartId = `web:${sessionId}`;
    if (url.pathname === '/api/reset') {
      await session.reset(counterpartId);
      sendJson(response, 200, { ok: true });
      return;
    }
    const messages = parseMessages(text);
    // One session's batches are answered in order, each with the memory of the one before.
    const previous = queues.get(counterpartId) ?? Promise.resolve();
    const turn = previous
      .catch(() => undefined)
      .then(() => session.reply({ id: counterpartId }, messages, { signal: controller.signal }));
    queues.set(counterpartId, turn);
    try {
      const reply = await turn;
      sendJson(response, 200, { bubbles: reply.bubbles, backend: reply.backend });
    } finally {
      if (queues.get(counterpartId) === turn) queues.delete(counterpartId);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        // Unread bodies of refused requests are dropped with the connection.
        if (error.status === 413) response.setHeader('connection', 'close');
        sendJson(response, error.status, { error: error.message });
        return;
      }
      options.onError?.(error);
      const status = ChatError.isInstance(error) && error.kind !== 'config' ? 502 : 500;
      const message =
        ChatError.isInstance(error) || error instanceof Error ? error.message : 'no reply';
      sendJson(response, status, { error: message });
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close() {
      closed ??= new Promise<void>((resolve) => {
        controller.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
