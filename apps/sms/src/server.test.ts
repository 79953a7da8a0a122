import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmsConfig } from './config.js';
import { writeDataset } from './__fixtures__/dataset.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  fakeChat,
  FRIEND,
  inbound,
  messagesOf,
  OTHER_FRIEND,
  PUBLIC_URL,
  signedRequest,
  STRANGER,
  testConfig,
  TWILIO_NUMBER,
  type FakeChat,
} from './__fixtures__/sms.js';
import { startTwilioEmulator, type TwilioEmulator } from './__fixtures__/twilio-emulator.js';
import { createSmsServer, type SmsServerDeps } from './server.js';
import { EMPTY_TWIML } from './twiml.js';

const servers: FastifyInstance[] = [];
const emulators: TwilioEmulator[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'alterego-sms-'));
  dirs.push(dir);
  return dir;
}

async function start(
  config: SmsConfig = testConfig(),
  chat: FakeChat = fakeChat(),
  deps: SmsServerDeps = {},
): Promise<FastifyInstance> {
  const server = await createSmsServer(config, { createChat: () => chat, ...deps });
  servers.push(server);
  return server;
}

/** A log stream that keeps every line. */
function logLines() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe('the webhook', () => {
  it('answers a signed message from an allowed number with the reply as TwiML', async () => {
    const chat = fakeChat((text) => [`re: ${text}`, 'second bubble']);
    const server = await start(testConfig(), chat);
    const response = await server.inject(signedRequest(inbound('hello there')));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>re: hello there</Message><Message>second bubble</Message></Response>',
    );
    expect(chat.calls).toEqual([{ counterpart: { id: FRIEND }, messages: 'hello there' }]);
  });

  it('refuses a request without a signature before reading it', async () => {
    const chat = fakeChat();
    const server = await start(testConfig(), chat);
    const request = signedRequest(inbound('hi'));
    const { 'x-twilio-signature': _signature, ...headers } = request.headers;
    const response = await server.inject({ ...request, headers });
    expect(response.statusCode).toBe(403);
    expect(chat.calls).toHaveLength(0);
  });

  it('refuses a tampered body, a wrong URL and a wrong token', async () => {
    const chat = fakeChat();
    const server = await start(testConfig(), chat);
    const request = signedRequest(inbound('hi'));
    const tampered = { ...request, payload: request.payload.replace('Body=hi', 'Body=bye') };
    expect((await server.inject(tampered)).statusCode).toBe(403);
    const added = { ...request, payload: `${request.payload}&Extra=1` };
    expect((await server.inject(added)).statusCode).toBe(403);
    const otherUrl = signedRequest(inbound('hi'), { url: 'https://attacker.example/sms' });
    expect((await server.inject(otherUrl)).statusCode).toBe(403);
    const otherPath = signedRequest(inbound('hi'), { url: `${PUBLIC_URL}/other` });
    expect((await server.inject(otherPath)).statusCode).toBe(403);
    const otherToken = signedRequest(inbound('hi'), { token: 'not-the-token' });
    expect((await server.inject(otherToken)).statusCode).toBe(403);
    expect(chat.calls).toHaveLength(0);
  });

  it('signs over the query string Twilio called', async () => {
    const server = await start();
    const params = inbound('hi');
    const request = signedRequest(params, { path: '/sms?route=a' });
    expect((await server.inject(request)).statusCode).toBe(200);
    const wrong = signedRequest(params, { path: '/sms?route=a', url: `${PUBLIC_URL}/sms` });
    expect((await server.inject(wrong)).statusCode).toBe(403);
  });

  it('uses X-Forwarded-Proto and X-Forwarded-Host only with trustProxy', async () => {
    const forwarded = 'https://tunnel.example.com/sms';
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tunnel.example.com' };
    const trusting = await start(testConfig({ trustProxy: true }));
    const request = signedRequest(inbound('hi'), { url: forwarded, headers });
    expect((await trusting.inject(request)).statusCode).toBe(200);
    // Forwarded headers that do not match what Twilio signed are refused too.
    const spoofed = signedRequest(inbound('hi'), {
      url: forwarded,
      headers: { ...headers, 'x-forwarded-host': 'other.example.com' },
    });
    expect((await trusting.inject(spoofed)).statusCode).toBe(403);

    const plain = await start(testConfig());
    expect(
      (await plain.inject(signedRequest(inbound('hi'), { url: forwarded, headers }))).statusCode,
    ).toBe(403);
    // Without trustProxy, the public URL is what counts, whatever the headers say.
    const viaPublic = signedRequest(inbound('hi'), { headers });
    expect((await plain.inject(viaPublic)).statusCode).toBe(200);
  });

  it('refuses a body over the size limit', async () => {
    const chat = fakeChat();
    const server = await start(testConfig({ bodyLimitBytes: 1024 }), chat);
    const response = await server.inject(signedRequest(inbound('x'.repeat(2000))));
    expect(response.statusCode).toBe(413);
    expect(chat.calls).toHaveLength(0);
  });

  it('answers /healthz', async () => {
    const server = await start();
    const response = await server.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('who gets an answer', () => {
  it('answers a number not on the allow-list with empty TwiML, without the model', async () => {
    const chat = fakeChat();
    const server = await start(testConfig(), chat);
    const response = await server.inject(signedRequest(inbound('hi', STRANGER)));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(0);
  });

  it('routes each number to its own chat, and the rest to "*"', async () => {
    const chats = {
      '/datasets/sam': fakeChat(() => ['from sam']),
      '/datasets/close': fakeChat(() => ['for a close friend']),
    };
    const config = testConfig({
      routes: { '*': { dataset: '/datasets/sam' }, [FRIEND]: { dataset: '/datasets/close' } },
    });
    const server = await createSmsServer(config, {
      createChat: (route) => chats[route.dataset as keyof typeof chats],
    });
    servers.push(server);
    expect(messagesOf((await server.inject(signedRequest(inbound('hi', FRIEND)))).body)).toEqual([
      'for a close friend',
    ]);
    expect(
      messagesOf((await server.inject(signedRequest(inbound('hi', OTHER_FRIEND)))).body),
    ).toEqual(['from sam']);
  });

  it('answers nothing to an allowed number no route covers', async () => {
    const chat = fakeChat();
    const server = await start(testConfig({ routes: { [FRIEND]: { dataset: '/d' } } }), chat);
    expect((await server.inject(signedRequest(inbound('hi', OTHER_FRIEND)))).body).toBe(
      EMPTY_TWIML,
    );
    expect(chat.calls).toHaveLength(0);
  });

  it('does not answer a message without text', async () => {
    const chat = fakeChat();
    const server = await start(testConfig(), chat);
    const mms = inbound('', FRIEND, { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/x.jpg' });
    expect((await server.inject(signedRequest(mms))).body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(0);
  });
});

describe('carrier keywords', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop\n',
    'STOPALL',
    'unsubscribe',
    'CANCEL',
    'End',
    'QUIT',
    'HELP',
    'info',
    'START',
    'yes',
    'UNSTOP',
  ])('never passes %j to the model', async (body) => {
    const chat = fakeChat();
    const server = await start(testConfig(), chat);
    const response = await server.inject(signedRequest(inbound(body)));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(0);
  });

  it('answers nothing after STOP until START, and HELP changes nothing', async () => {
    const chat = fakeChat(() => ['hey']);
    const server = await start(testConfig(), chat);
    await server.inject(signedRequest(inbound('stop')));
    expect((await server.inject(signedRequest(inbound('are you there?')))).body).toBe(EMPTY_TWIML);
    await server.inject(signedRequest(inbound('HELP')));
    expect((await server.inject(signedRequest(inbound('hello?')))).body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(0);
    // The other friend is not affected.
    expect(
      messagesOf((await server.inject(signedRequest(inbound('hi', OTHER_FRIEND)))).body),
    ).toEqual(['hey']);
    await server.inject(signedRequest(inbound('Start')));
    expect(messagesOf((await server.inject(signedRequest(inbound('back!')))).body)).toEqual([
      'hey',
    ]);
  });

  it('remembers an opt-out across restarts', async () => {
    const dir = await tempDir();
    const config = testConfig({ memoryFile: join(dir, 'sms.db') });
    const first = await createSmsServer(config, { createChat: () => fakeChat() });
    await first.inject(signedRequest(inbound('UNSUBSCRIBE')));
    await first.close();

    const chat = fakeChat();
    const second = await start(config, chat);
    expect((await second.inject(signedRequest(inbound('hi')))).body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(0);
    await second.inject(signedRequest(inbound('unstop')));
    await second.close();
    servers.length = 0;

    const third = await start(config, chat);
    expect(messagesOf((await third.inject(signedRequest(inbound('hi')))).body)).toEqual([
      'you said: hi',
    ]);
  });
});

describe('retries and bursts', () => {
  it('answers a retried MessageSid with the same reply, asking the model once', async () => {
    let count = 0;
    const chat = fakeChat(() => [`reply ${++count}`]);
    const server = await start(testConfig(), chat);
    const request = signedRequest(inbound('hi'));
    const firstAnswer = await server.inject(request);
    const retried = await server.inject(request);
    expect(messagesOf(firstAnswer.body)).toEqual(['reply 1']);
    expect(retried.body).toBe(firstAnswer.body);
    expect(chat.calls).toHaveLength(1);
  });

  it('lets a retry of a message still being answered wait for the same answer', async () => {
    const chat = fakeChat((text) => [text.toUpperCase()], 50);
    const server = await start(testConfig(), chat);
    const request = signedRequest(inbound('slow one'));
    const [a, b] = await Promise.all([server.inject(request), server.inject(request)]);
    expect(messagesOf(a.body)).toEqual(['SLOW ONE']);
    expect(b.body).toBe(a.body);
    expect(chat.calls).toHaveLength(1);
  });

  it('answers nothing to a sender over the rate limit, and lets them go on later', async () => {
    let clock = 1_000_000;
    const chat = fakeChat(() => ['ok']);
    const server = await start(testConfig({ rateLimit: { burst: 2, perMinute: 1 } }), chat, {
      now: () => clock,
    });
    const send = async (from = FRIEND) =>
      (await server.inject(signedRequest(inbound('hi', from)))).body;
    expect(messagesOf(await send())).toEqual(['ok']);
    expect(messagesOf(await send())).toEqual(['ok']);
    const limited = await server.inject(signedRequest(inbound('hi')));
    expect(limited.statusCode).toBe(200);
    expect(limited.body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(2);
    expect(messagesOf(await send(OTHER_FRIEND))).toEqual(['ok']);
    clock += 60_000;
    expect(messagesOf(await send())).toEqual(['ok']);
    expect(await send()).toBe(EMPTY_TWIML);
  });
});

describe('what is sent', () => {
  it('escapes the reply and keeps emoji', async () => {
    const server = await start(
      testConfig(),
      fakeChat(() => [`<b>&"it's"</b> 😀`]),
    );
    const response = await server.inject(signedRequest(inbound('hi')));
    expect(response.body).toContain(
      '<Message>&lt;b&gt;&amp;&quot;it&apos;s&quot;&lt;/b&gt; 😀</Message>',
    );
    expect(messagesOf(response.body)).toEqual([`<b>&"it's"</b> 😀`]);
  });

  it('caps the reply at maxSegments', async () => {
    const long = 'word '.repeat(100).trim(); // 499 GSM characters: 4 segments
    const server = await start(
      testConfig({ maxSegments: 3 }),
      fakeChat(() => ['short', long, 'more']),
    );
    const bubbles = messagesOf((await server.inject(signedRequest(inbound('hi')))).body);
    expect(bubbles).toHaveLength(2);
    expect(bubbles[0]).toBe('short');
    expect(bubbles[1]!.length).toBeLessThanOrEqual(306);
    expect(bubbles[1]!.length).toBeGreaterThan(250);
  });

  it('answers nothing when the chat fails', async () => {
    const server = await start(
      testConfig(),
      fakeChat(() => {
        throw Object.assign(new Error('the model server refused'), { kind: 'model-server' });
      }),
    );
    const response = await server.inject(signedRequest(inbound('hi')));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(EMPTY_TWIML);
  });
});

describe('a slow model', () => {
  async function slowSetup(delayMs: number) {
    const emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    emulators.push(emulator);
    const chat = fakeChat(() => ['sorry, was driving', 'yes I’m in'], delayMs);
    const config = testConfig({ replyDeadlineMs: 100, twilio: { apiBase: emulator.url } });
    const server = await start(config, chat, { retryBackoffMs: 1 });
    return { emulator, chat, server };
  }

  it('answers empty TwiML in time and sends the reply through the REST API', async () => {
    const { emulator, chat, server } = await slowSetup(400);
    const response = await server.inject(signedRequest(inbound('coming tonight?')));
    expect(response.body).toBe(EMPTY_TWIML);
    expect(emulator.messages).toHaveLength(0);
    const sent = await emulator.waitForMessages(2);
    expect(sent.map(({ from, to, body, accountSid }) => ({ from, to, body, accountSid }))).toEqual([
      { from: TWILIO_NUMBER, to: FRIEND, body: 'sorry, was driving', accountSid: ACCOUNT_SID },
      { from: TWILIO_NUMBER, to: FRIEND, body: 'yes I’m in', accountSid: ACCOUNT_SID },
    ]);
    expect(chat.calls).toHaveLength(1);
  });

  it('answers a local chat (retrieval) inline however long it takes, never through the REST API', async () => {
    const { emulator, chat, server } = await slowSetup(200);
    Object.assign(chat, { local: true });
    const response = await server.inject(signedRequest(inbound('coming tonight?')));
    expect(messagesOf(response.body)).toEqual(['sorry, was driving', 'yes I’m in']);
    await server.smsIdle();
    expect(emulator.messages).toHaveLength(0);
  });

  it('answers a retry of the late message with empty TwiML and sends the reply once', async () => {
    const { emulator, chat, server } = await slowSetup(400);
    const request = signedRequest(inbound('coming tonight?'));
    expect((await server.inject(request)).body).toBe(EMPTY_TWIML);
    expect((await server.inject(request)).body).toBe(EMPTY_TWIML);
    await server.smsIdle();
    expect(emulator.messages).toHaveLength(2);
    expect(chat.calls).toHaveLength(1);
  });

  it('retries the REST API on 429 and 5xx', async () => {
    const { emulator, server } = await slowSetup(200);
    emulator.failNext(429);
    emulator.failNext(503);
    await server.inject(signedRequest(inbound('hi')));
    await server.smsIdle();
    expect(emulator.statuses).toEqual([429, 503, 201, 201]);
    expect(emulator.messages.map((message) => message.body)).toEqual([
      'sorry, was driving',
      'yes I’m in',
    ]);
  });

  it('stops sending and records the opt-out when Twilio says the number unsubscribed', async () => {
    const { emulator, chat, server } = await slowSetup(200);
    emulator.failNext(400, 1, 21610);
    await server.inject(signedRequest(inbound('hi')));
    await server.smsIdle();
    expect(emulator.statuses).toEqual([400]);
    expect((await server.inject(signedRequest(inbound('hello?')))).body).toBe(EMPTY_TWIML);
    expect(chat.calls).toHaveLength(1);
  });

  it('does not send a late reply to someone who texted STOP meanwhile', async () => {
    const { emulator, server } = await slowSetup(300);
    expect((await server.inject(signedRequest(inbound('hi')))).body).toBe(EMPTY_TWIML);
    await server.inject(signedRequest(inbound('STOP')));
    await server.smsIdle();
    expect(emulator.statuses).toEqual([]);
  });
});

describe('logs', () => {
  it('carry neither the text nor the numbers by default', async () => {
    const { lines, stream } = logLines();
    const config = testConfig({ logLevel: 'info' });
    const server = await start(
      config,
      fakeChat(() => ['secret answer']),
      { logStream: stream },
    );
    await server.inject(signedRequest(inbound('my secret message')));
    await server.inject(signedRequest(inbound('STOP')));
    await server.inject(signedRequest(inbound('hi', STRANGER)));
    await server.inject({
      ...signedRequest(inbound('hi')),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const log = lines.join('');
    expect(log).toContain('"event":"reply"');
    expect(log).toContain('"event":"opt-out"');
    expect(log).toContain('"event":"not-allowed"');
    expect(log).toContain('"event":"unsigned"');
    for (const secret of ['secret', FRIEND, FRIEND.slice(1), STRANGER, '1111', AUTH_TOKEN])
      expect(log).not.toContain(secret);
  });

  it('carry the text and masked numbers with logMessages, raw numbers only with logRawNumbers', async () => {
    const masked = logLines();
    const server = await start(
      testConfig({ logLevel: 'info', logMessages: true }),
      fakeChat(() => ['an answer']),
      {
        logStream: masked.stream,
      },
    );
    await server.inject(signedRequest(inbound('my message')));
    const log = masked.lines.join('');
    expect(log).toContain('my message');
    expect(log).toContain('an answer');
    expect(log).toContain('1111');
    expect(log).not.toContain(FRIEND);

    const raw = logLines();
    const rawServer = await start(
      testConfig({ logLevel: 'info', logMessages: true, logRawNumbers: true }),
      fakeChat(),
      { logStream: raw.stream },
    );
    await rawServer.inject(signedRequest(inbound('my message')));
    expect(raw.lines.join('')).toContain(FRIEND);
  });
});

describe('shutdown', () => {
  it('finishes the request in flight, refuses new ones, and closes the chats', async () => {
    const chat = fakeChat(() => ['made it'], 300);
    const server = await createSmsServer(testConfig(), { createChat: () => chat });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    const request = signedRequest(inbound('quick question'));
    const post = () =>
      fetch(`${address}/sms`, { method: 'POST', headers: request.headers, body: request.payload });
    const inFlight = post();
    while (chat.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(messagesOf(await response.text())).toEqual(['made it']);
    await closing;
    expect(chat.closed).toBe(1);
    await expect(post()).rejects.toThrow();
  });

  it('waits for late replies before closing', async () => {
    const emulator = await startTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    emulators.push(emulator);
    const chat = fakeChat(() => ['late but sent'], 300);
    const config = testConfig({ replyDeadlineMs: 100, twilio: { apiBase: emulator.url } });
    const server = await createSmsServer(config, { createChat: () => chat });
    expect((await server.inject(signedRequest(inbound('hi')))).body).toBe(EMPTY_TWIML);
    await server.close();
    expect(emulator.messages.map((message) => message.body)).toEqual(['late but sent']);
    expect(chat.closed).toBe(1);
  });
});

describe('with @alterego/chat', () => {
  it('answers from the dataset with the retrieval backend and remembers the conversation', async () => {
    const dir = await tempDir();
    await writeDataset(dir);
    const config = testConfig({
      routes: { '*': { dataset: dir, backend: 'retrieval' } },
      memoryFile: join(dir, 'sms.db'),
    });
    const server = await createSmsServer(config);
    servers.push(server);
    const response = await server.inject(signedRequest(inbound('are you coming tonight?')));
    expect(messagesOf(response.body)).toEqual(['yes!! see you at 8']);
    const cat = await server.inject(signedRequest(inbound('did you feed the cat')));
    expect(messagesOf(cat.body)).toEqual(['of course', 'she ate everything']);
  });

  it('answers with a fine-tuned model on an OpenAI-compatible server, and falls back to retrieval', async () => {
    const dir = await tempDir();
    await writeDataset(dir);
    const requests: { model: string; messages: { role: string; content: string }[] }[] = [];
    let failing = false;
    const modelServer = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        if (failing) {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { message: 'down' } }));
          return;
        }
        requests.push(JSON.parse(body) as (typeof requests)[number]);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1,
            model: 'sam-ft',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: 'omg yes\nsee you' },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => modelServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = modelServer.address() as AddressInfo;
      const config = testConfig({
        routes: {
          '*': {
            dataset: dir,
            backend: 'finetuned',
            model: 'sam-ft',
            baseUrl: `http://127.0.0.1:${port}/v1`,
            fallback: 'retrieval',
          },
        },
        memoryFile: join(dir, 'sms.db'),
      });
      const server = await createSmsServer(config);
      servers.push(server);
      const response = await server.inject(signedRequest(inbound('hike this weekend?')));
      expect(messagesOf(response.body)).toEqual(['omg yes', 'see you']);
      expect(requests[0]?.model).toBe('sam-ft');
      expect(requests[0]?.messages.at(-1)).toEqual({ role: 'user', content: 'hike this weekend?' });
      failing = true;
      const fallback = await server.inject(signedRequest(inbound('are you coming tonight?')));
      expect(messagesOf(fallback.body)).toEqual(['yes!! see you at 8']);
    } finally {
      modelServer.closeAllConnections();
      await new Promise((resolve) => modelServer.close(resolve));
    }
  });

  it('fails at start when a dataset is missing', async () => {
    const dir = await tempDir();
    const config = testConfig({
      routes: { '*': { dataset: join(dir, 'nope') } },
      memoryFile: join(dir, 'sms.db'),
    });
    await expect(createSmsServer(config)).rejects.toThrow(/manifest/);
  });
});

describe('the database', () => {
  it('is created readable by its owner only', async () => {
    const dir = await tempDir();
    const file = join(dir, 'nested', 'sms.db');
    await start(testConfig({ memoryFile: file }));
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
