import { createHmac, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
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

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      redact: ['req.headers', 'req.body'],
    },
    bodyLimit: config.bodyLimitBytes,
    // One line per webhook, written below, instead of fastify's two per request.
    logController: new LogController({ disableRequestLogging: true }),
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

  // An unsigned request is turned away before its body is even read.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== config.path) return;
    if (typeof request.headers['x-twilio-signature'] !== 'string') {
      request.log.warn({ event: 'unsigned' }, 'request without X-Twilio-Signature refused');
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    }
  });

  // Once closing, answers end their connection, so that keep-alive clients do not hold it open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const sendLater = (
    pendingReply: Promise<string[]>,
    to: string,
    from: string,
    accountSid: string | undefined,
    log: FastifyRequest['log'],
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
        log.error(
          { event: 'late-reply-dropped', sender: who(to) },
          'a late reply cannot be sent: set TWILIO_ACCOUNT_SID',
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
          log.error(
            { event: 'late-reply-failed', sender: who(to), status, code },
            error instanceof TwilioApiError ? error.message : 'sending a late reply failed',
          );
          if (code === TWILIO_UNSUBSCRIBED) optOuts.record(to, 'opt-out', now());
          return;
        }
      }
      log.info({ event: 'late-reply-sent', sender: who(to), bubbles: bubbles.length });
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
    log: FastifyRequest['log'],
  ): Promise<string> => {
    const started = performance.now();
    const replied = chat.reply({ id: from }, body, { time: now() }).then(
      (reply) => {
        const bubbles = capBubbles(reply.bubbles, config.maxSegments);
        log.info({
          event: 'reply',
          sender: who(from),
          backend: reply.backend,
          bubbles: bubbles.length,
          ms: Math.round(performance.now() - started),
          ...(reply.fallbackReason ? { fallbackReason: reply.fallbackReason } : {}),
          ...(config.logMessages ? { text: body, reply: bubbles } : {}),
        });
        return bubbles;
      },
      (error: unknown) => {
        log.error(
          {
            event: 'reply-failed',
            sender: who(from),
            kind: (error as { kind?: unknown }).kind,
          },
          error instanceof Error ? error.message : 'the chat failed',
        );
        throw error;
      },
    );
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
      log.info({ event: 'reply-late', sender: who(from) }, 'reply will be sent through the API');
      sendLater(replied, from, to, accountSid, log);
      return EMPTY_TWIML;
    }
    // A STOP that arrived while the model was thinking wins.
    if (optOuts.isOptedOut(from)) return EMPTY_TWIML;
    return messagingTwiml(outcome);
  };

  app.post(config.path, async (request, reply) => {
    const params = (request.body ?? {}) as TwilioParams;
    const url = signedUrl(request);
    const signature = request.headers['x-twilio-signature'] as string | undefined;
    if (
      url === undefined ||
      !validateTwilioSignature(config.twilio.authToken, url, params, signature)
    ) {
      request.log.warn(
        { event: 'bad-signature' },
        'request with a wrong X-Twilio-Signature refused',
      );
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    }
    reply.type('text/xml; charset=utf-8');
    const from = first(params.From);
    const to = first(params.To);
    if (!from || !to) {
      request.log.warn({ event: 'no-sender' }, 'signed request without From or To');
      return reply.code(400).send(EMPTY_TWIML);
    }
    if (!allowed.has(from)) {
      request.log.info({ event: 'not-allowed', sender: who(from) }, 'sender not on the allow-list');
      return EMPTY_TWIML;
    }
    const body = first(params.Body) ?? '';
    const keyword = classifyKeyword(body);
    if (keyword !== undefined) {
      if (keyword !== 'help') optOuts.record(from, keyword, now());
      request.log.info({ event: keyword, sender: who(from) }, 'carrier keyword; Twilio answers it');
      return EMPTY_TWIML;
    }
    if (optOuts.isOptedOut(from)) {
      request.log.info({ event: 'opted-out', sender: who(from) }, 'sender has opted out');
      return EMPTY_TWIML;
    }
    const messageSid = first(params.MessageSid) ?? first(params.SmsMessageSid);
    if (messageSid) {
      const earlier = answers.get(messageSid);
      if (earlier) {
        request.log.info({ event: 'retry', sender: who(from) }, 'a retried message, answered once');
        return earlier;
      }
    }
    if (body.trim() === '') {
      request.log.info({ event: 'empty', sender: who(from) }, 'message without text');
      return EMPTY_TWIML;
    }
    const chat = chats.get(from) ?? chats.get('*');
    if (!chat) {
      request.log.info({ event: 'no-route', sender: who(from) }, 'no route for this sender');
      return EMPTY_TWIML;
    }
    if (!limiter.take(from)) {
      request.log.warn({ event: 'rate-limited', sender: who(from) }, 'sender over the rate limit');
      return EMPTY_TWIML;
    }
    const twiml = answer(chat, from, to, body, first(params.AccountSid), request.log);
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
