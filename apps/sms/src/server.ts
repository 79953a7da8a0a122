import { createHmac, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { createChatFactory, type ChatFactory, type SmsChat } from './chat-factory.js';
import type { SmsConfig, SmsRoute } from './config.js';
import { AnswerCache } from './dedupe.js';
import { classifyKeyword } from './keywords.js';
import { openOptOutStore, type OptOutStore } from './opt-outs.js';
import { RateLimiter } from './rate-limit.js';
import { capBubbles } from './segments.js';
import { validateTwilioSignature, type TwilioParams } from './signature.js';
import { sendTwilioMessage, TWILIO_UNSUBSCRIBED, TwilioApiError } from './twilio-rest.js';
import { EMPTY_TWIML, messagingTwiml } from './twiml.js';

/** What the server uses besides its settings; tests replace them. */
export interface SmsServerDeps {
  /** Makes the chat of a route (default: @alterego/chat on the route's dataset). */
  createChat?: (route: SmsRoute, key: string) => SmsChat | Promise<SmsChat>;
  /** Used for Twilio's REST API (default: global fetch). */
  fetch?: typeof fetch;
  /** Where the JSON log lines go (default: stdout). */
  logStream?: { write(line: string): void };
  /** The first retry's delay when Twilio's REST API fails (default 500 ms). */
  retryBackoffMs?: number;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** Retried MessageSids remembered at most, and for how long. */
const DEDUPE_ENTRIES = 10_000;
const DEDUPE_TTL_MS = 10 * 60_000;

const first = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.[0];

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when the replies sent after the deadline have been sent (or have failed). */
    smsIdle(): Promise<void>;
  }
}

/**
 * The Twilio webhook server: `POST {path}` answers signed messages from allowed numbers with
 * TwiML, `GET /healthz` says it is up. Call `listen` to serve and `close` to stop: it finishes
 * the requests and late replies in flight, then closes the chats and the opt-out list.
 */
export async function createSmsServer(
  config: SmsConfig,
  deps: SmsServerDeps = {},
): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const factory: ChatFactory = deps.createChat
    ? { create: deps.createChat, close: async () => undefined }
    : createChatFactory(config);

  const chats = new Map<string, SmsChat>();
  const optOuts: OptOutStore = openOptOutStore(config.memoryFile);
  try {
    // One chat per distinct route: routes that say the same thing share it.
    const bySettings = new Map<string, SmsChat>();
    for (const [key, route] of Object.entries(config.routes)) {
      const settings = JSON.stringify(route);
      let chat = bySettings.get(settings);
      if (!chat) {
        chat = await factory.create(route, key);
        bySettings.set(settings, chat);
      }
      chats.set(key, chat);
    }
  } catch (error) {
    await Promise.allSettled([...new Set(chats.values())].map((chat) => chat.close()));
    await factory.close();
    optOuts.close();
    throw error;
  }

  const allowed = new Set(config.allow);
  const answers = new AnswerCache<string>(DEDUPE_ENTRIES, DEDUPE_TTL_MS, now);
  const limiter = new RateLimiter({ ...config.rateLimit, now });
  const pending = new Set<Promise<void>>();
  const numberKey = randomBytes(16);
  const publicBase = config.publicUrl;
  const publicPrefix = publicBase ? new URL(publicBase).pathname.replace(/\/+$/, '') : '';

  /** How a number appears in logs: a short keyed hash, or masked, or raw, as configured. */
  const who = (number: string): string => {
    if (config.logMessages && config.logRawNumbers) return number;
    if (config.logMessages)
      return `${'•'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;
    return `#${createHmac('sha256', numberKey).update(number).digest('hex').slice(0, 10)}`;
  };

  type Level = 'info' | 'warn' | 'error';
  const enabled = (log: FastifyRequest['log'], level: Level): boolean =>
    (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) ?? true;
  /**
   * Writes one log line about a request when its level is on. Nothing is computed for a line
   * that is not written: the sender's keyed hash is made here, not by the caller.
   */
  const note = (
    request: FastifyRequest,
    level: Level,
    fields: Record<string, unknown>,
    message?: string,
    sender?: string,
  ): void => {
    const log = request.log;
    if (!enabled(log, level)) return;
    const line = {
      reqId: request.id,
      ...fields,
      ...(sender === undefined ? {} : { sender: who(sender) }),
    };
    if (message === undefined) log[level](line);
    else log[level](line, message);
  };

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      redact: ['req.headers', 'req.body'],
    },
    bodyLimit: config.bodyLimitBytes,
    // One line per webhook, written below, instead of fastify's two per request.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger made for every request: the lines below carry the request id themselves.
    childLoggerFactory: (logger) => logger,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });

  /** The URL Twilio signed: the public URL, or with trustProxy the forwarded one. */
  const signedUrl = (request: FastifyRequest): string | undefined => {
    if (config.trustProxy) {
      const proto = first(request.headers['x-forwarded-proto'])?.split(',')[0]?.trim();
      const host =
        first(request.headers['x-forwarded-host'])?.split(',')[0]?.trim() ?? request.headers.host;
      if (host)
        return `${proto ?? (publicBase ? new URL(publicBase).protocol.slice(0, -1) : 'http')}://${host}${publicPrefix}${request.url}`;
    }
    return publicBase === undefined ? undefined : `${publicBase}${request.url}`;
  };

  // Once closing, answers end their connection, so that keep-alive clients do not hold it open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const sendLater = (
    pendingReply: Promise<string[]>,
    to: string,
    from: string,
    accountSid: string | undefined,
    request: FastifyRequest,
  ) => {
    const task = (async () => {
      let bubbles: string[];
      try {
        bubbles = await pendingReply;
      } catch {
        return; // Logged where the reply was asked for.
      }
      if (bubbles.length === 0 || optOuts.isOptedOut(to)) return;
      const sid = config.twilio.accountSid ?? accountSid;
      if (!sid) {
        note(
          request,
          'error',
          { event: 'late-reply-dropped' },
          'a late reply cannot be sent: set TWILIO_ACCOUNT_SID',
          to,
        );
        return;
      }
      for (const body of bubbles) {
        try {
          await sendTwilioMessage(
            { from, to, body },
            {
              apiBase: config.twilio.apiBase,
              accountSid: sid,
              authToken: config.twilio.authToken,
              ...(deps.fetch ? { fetch: deps.fetch } : {}),
              ...(deps.retryBackoffMs === undefined ? {} : { backoffMs: deps.retryBackoffMs }),
            },
          );
        } catch (error) {
          const status = error instanceof TwilioApiError ? error.status : undefined;
          const code = error instanceof TwilioApiError ? error.code : undefined;
          note(
            request,
            'error',
            { event: 'late-reply-failed', status, code },
            error instanceof TwilioApiError ? error.message : 'sending a late reply failed',
            to,
          );
          if (code === TWILIO_UNSUBSCRIBED) optOuts.record(to, 'opt-out', now());
          return;
        }
      }
      note(request, 'info', { event: 'late-reply-sent', bubbles: bubbles.length }, undefined, to);
    })();
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  /** Asks the chat, and answers within the deadline: the reply, or empty TwiML and a late send. */
  const answer = async (
    chat: SmsChat,
    from: string,
    to: string,
    body: string,
    accountSid: string | undefined,
    request: FastifyRequest,
  ): Promise<string> => {
    const started = performance.now();
    const replied = chat.reply({ id: from }, body, { time: now() }).then(
      (reply) => {
        const bubbles = capBubbles(reply.bubbles, config.maxSegments);
        if (enabled(request.log, 'info')) {
          note(
            request,
            'info',
            {
              event: 'reply',
              backend: reply.backend,
              bubbles: bubbles.length,
              ms: Math.round(performance.now() - started),
              ...(reply.fallbackReason ? { fallbackReason: reply.fallbackReason } : {}),
              ...(config.logMessages ? { text: body, reply: bubbles } : {}),
            },
            undefined,
            from,
          );
        }
        return bubbles;
      },
      (error: unknown) => {
        note(
          request,
          'error',
          { event: 'reply-failed', kind: (error as { kind?: unknown }).kind },
          error instanceof Error ? error.message : 'the chat failed',
          from,
        );
        throw error;
      },
    );
    if (chat.local === true) {
      // An answer from memory is never late: no deadline to race.
      const bubbles = await replied.catch(() => [] as string[]);
      return optOuts.isOptedOut(from) ? EMPTY_TWIML : messagingTwiml(bubbles);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const outcome = await Promise.race([
      replied.then(
        (bubbles) => bubbles,
        () => [] as string[],
      ),
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), config.replyDeadlineMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === late) {
      note(request, 'info', { event: 'reply-late' }, 'reply will be sent through the API', from);
      sendLater(replied, from, to, accountSid, request);
      return EMPTY_TWIML;
    }
    // A STOP that arrived while the model was thinking wins.
    if (optOuts.isOptedOut(from)) return EMPTY_TWIML;
    return messagingTwiml(outcome);
  };

  // An unsigned request is turned away before its body is even read. Hooks take a callback,
  // not a promise: they run on every request.
  const refuseUnsigned = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ): void => {
    if (typeof request.headers['x-twilio-signature'] !== 'string') {
      note(request, 'warn', { event: 'unsigned' }, 'request without X-Twilio-Signature refused');
      void reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
      return;
    }
    done();
  };

  app.post(config.path, { onRequest: refuseUnsigned }, async (request, reply) => {
    const params = (request.body ?? {}) as TwilioParams;
    const url = signedUrl(request);
    const signature = request.headers['x-twilio-signature'] as string | undefined;
    if (
      url === undefined ||
      !validateTwilioSignature(config.twilio.authToken, url, params, signature)
    ) {
      note(
        request,
        'warn',
        { event: 'bad-signature' },
        'request with a wrong X-Twilio-Signature refused',
      );
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    }
    reply.type('text/xml; charset=utf-8');
    const from = first(params.From);
    const to = first(params.To);
    if (!from || !to) {
      note(request, 'warn', { event: 'no-sender' }, 'signed request without From or To');
      return reply.code(400).send(EMPTY_TWIML);
    }
    if (!allowed.has(from)) {
      note(request, 'info', { event: 'not-allowed' }, 'sender not on the allow-list', from);
      return EMPTY_TWIML;
    }
    const body = first(params.Body) ?? '';
    const keyword = classifyKeyword(body);
    if (keyword !== undefined) {
      if (keyword !== 'help') optOuts.record(from, keyword, now());
      note(request, 'info', { event: keyword }, 'carrier keyword; Twilio answers it', from);
      return EMPTY_TWIML;
    }
    if (optOuts.isOptedOut(from)) {
      note(request, 'info', { event: 'opted-out' }, 'sender has opted out', from);
      return EMPTY_TWIML;
    }
    const messageSid = first(params.MessageSid) ?? first(params.SmsMessageSid);
    if (messageSid) {
      const earlier = answers.get(messageSid);
      if (earlier) {
        note(request, 'info', { event: 'retry' }, 'a retried message, answered once', from);
        return earlier;
      }
    }
    if (body.trim() === '') {
      note(request, 'info', { event: 'empty' }, 'message without text', from);
      return EMPTY_TWIML;
    }
    const chat = chats.get(from) ?? chats.get('*');
    if (!chat) {
      note(request, 'info', { event: 'no-route' }, 'no route for this sender', from);
      return EMPTY_TWIML;
    }
    if (!limiter.take(from)) {
      note(request, 'warn', { event: 'rate-limited' }, 'sender over the rate limit', from);
      return EMPTY_TWIML;
    }
    const twiml = answer(chat, from, to, body, first(params.AccountSid), request);
    if (messageSid) answers.set(messageSid, twiml);
    return twiml;
  });

  app.decorate('smsIdle', async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  });

  app.addHook('onClose', async (instance) => {
    await instance.smsIdle();
    await Promise.allSettled([...new Set(chats.values())].map((chat) => chat.close()));
    await factory.close();
    optOuts.close();
  });

  return app;
}
