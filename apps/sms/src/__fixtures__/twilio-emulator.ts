// An emulator of Twilio's Messages.json endpoint on 127.0.0.1, for the late-reply path: checks
// Basic auth and the form fields as Twilio does, records what it accepted, and can fail on cue.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
}

export interface TwilioEmulator {
  /** `http://127.0.0.1:PORT`, the apiBase to configure. */
  url: string;
  /** Messages accepted, in order. */
  messages: EmulatedMessage[];
  /** Every request's status, accepted or not. */
  statuses: number[];
  /** The next `count` requests fail with this status (and Twilio error code). */
  failNext(status: number, count?: number, code?: number): void;
  /** Resolves once `count` messages have been accepted. */
  waitForMessages(count: number): Promise<EmulatedMessage[]>;
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const twilioError = (response: ServerResponse, status: number, code: number, message: string) =>
  json(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTwilioEmulator(credentials: {
  accountSid: string;
  authToken: string;
}): Promise<TwilioEmulator> {
  const messages: EmulatedMessage[] = [];
  const statuses: number[] = [];
  const failures: { status: number; code: number }[] = [];
  const waiters: { count: number; resolve: (messages: EmulatedMessage[]) => void }[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const status = (code: number) => statuses.push(code);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) {
      status(404);
      return twilioError(response, 404, 20404, 'The requested resource was not found');
    }
    const body = await readBody(request);
    if (request.headers.authorization !== expectedAuth || match[1] !== credentials.accountSid) {
      status(401);
      return twilioError(response, 401, 20003, 'Authenticate');
    }
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      status(400);
      return twilioError(response, 400, 20001, 'Expected a form-encoded body');
    }
    const failure = failures.shift();
    if (failure) {
      status(failure.status);
      return twilioError(response, failure.status, failure.code, 'Emulated failure');
    }
    const form = new URLSearchParams(body);
    const to = form.get('To');
    const from = form.get('From');
    const text = form.get('Body');
    if (!to) {
      status(400);
      return twilioError(response, 400, 21604, "A 'To' phone number is required.");
    }
    if (!from) {
      status(400);
      return twilioError(response, 400, 21603, "A 'From' phone number is required.");
    }
    if (!text) {
      status(400);
      return twilioError(response, 400, 21602, 'Message body is required.');
    }
    if (text.length > 1600) {
      status(400);
      return twilioError(response, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    const sid = `SM${(messages.length + 1).toString(16).padStart(32, '0')}`;
    const message = { sid, accountSid: credentials.accountSid, to, from, body: text };
    messages.push(message);
    status(201);
    json(response, 201, {
      sid,
      account_sid: credentials.accountSid,
      to,
      from,
      body: text,
      status: 'queued',
      api_version: '2010-04-01',
    });
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...messages]);
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    statuses,
    failNext(status, count = 1, code = status === 429 ? 20429 : 20500) {
      for (let index = 0; index < count; index += 1) failures.push({ status, code });
    },
    waitForMessages(count) {
      if (messages.length >= count) return Promise.resolve([...messages]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
