import { request as httpRequest } from 'node:http';
import { ChatError } from '@alterego/chat';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSession } from './__fixtures__/fake-session.js';
import { MAX_BODY_BYTES, parseMessages, startWebChat, type WebChat } from './web-server.js';

let web: WebChat | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request, so that Host and Origin can be anything. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const port = web?.port ?? 0;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const SESSION = 'session-1234';

/** Waits until a condition holds (checked every few ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function post(messages: unknown, headers: Record<string, string> = {}, session = SESSION) {
  return send('/api/messages', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-alterego-token': web?.token ?? '',
      'x-alterego-session': session,
      ...headers,
    },
    body: JSON.stringify({ messages }),
  });
}

describe('startWebChat', () => {
  it('listens on 127.0.0.1 and prints an address with the token', async () => {
    web = await startWebChat({ session: fakeSession(), token: 'abc123' });
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=abc123`);
    const random = await startWebChat({ session: fakeSession() });
    try {
      expect(random.token).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await random.close();
    }
  });

  it('serves the page only with the token, with a strict content security policy', async () => {
    web = await startWebChat({ session: fakeSession() });
    const page = await send(`/?token=${web.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div class="name" id="name">Sam Rivera</div>');
    expect(page.body).toContain(JSON.stringify(web.token));
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    // No external resources: nothing is loaded from another address.
    expect(page.body).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect((await send('/')).status).toBe(403);
    expect((await send('/?token=wrong')).status).toBe(403);
  });

  it('answers a batch with bubbles and backend, with the page’s session as counterpart', async () => {
    const session = fakeSession();
    web = await startWebChat({ session });
    const answer = await post(['hey', ' free tonight? ']);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      bubbles: ['re: hey', 're: free tonight?'],
      backend: 'fake',
    });
    expect(session.calls).toEqual([
      { counterpart: { id: `web:${SESSION}` }, messages: ['hey', 'free tonight?'] },
    ]);
  });

  it('refuses requests without the right token, Host or Origin', async () => {
    const session = fakeSession();
    web = await startWebChat({ session });
    const origin = `http://127.0.0.1:${web.port}`;
    expect((await post(['hi'], { 'x-alterego-token': 'nope' })).status).toBe(403);
    expect((await post(['hi'], { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(['hi'], { origin: 'null' })).status).toBe(403);
    // DNS rebinding: a name that resolves to 127.0.0.1 but is not this server's.
    expect((await post(['hi'], { host: `evil.example:${web.port}` })).status).toBe(403);
    expect(session.calls).toHaveLength(0);
    expect((await post(['hi'], { origin })).status).toBe(200);
    expect(
      (
        await post(['hi'], {
          origin: `http://localhost:${web.port}`,
          host: `localhost:${web.port}`,
        })
      ).status,
    ).toBe(200);
  });

  it('refuses bodies over the size limit (413) and malformed batches (400)', async () => {
    const session = fakeSession();
    web = await startWebChat({ session, maxBodyBytes: 1000 });
    const big = await post(['x'.repeat(1500)]);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toEqual({ error: 'the request is larger than 1000 bytes' });
    expect((await post([])).status).toBe(400);
    expect((await post('hi')).status).toBe(400);
    expect((await post(['  '])).status).toBe(400);
    expect((await post([1])).status).toBe(400);
    expect((await post(['hi'], {}, 'bad id!')).status).toBe(400);
    expect((await post(['hi'], { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (
        await send('/api/messages', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-alterego-token': web.token,
            'x-alterego-session': SESSION,
          },
          body: '{"messages": [',
        })
      ).status,
    ).toBe(400);
    expect((await send('/api/messages')).status).toBe(405);
    expect((await send('/nothing')).status).toBe(404);
    expect(session.calls).toHaveLength(0);
    expect(MAX_BODY_BYTES).toBe(64 * 1024);
  });

  it('answers one session’s batches in order, one at a time', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const session = fakeSession(async (messages) => {
      order.push(`start ${messages[0]}`);
      if (messages[0] === 'first') await gate;
      order.push(`end ${messages[0]}`);
      return { bubbles: [messages[0] ?? ''], backend: 'fake', elapsedMs: 1 };
    });
    web = await startWebChat({ session });
    const first = post(['first']);
    await until(() => order.length > 0);
    const second = post(['second']);
    const other = post(['other'], {}, 'session-other');
    await other;
    expect(order).toEqual(['start first', 'start other', 'end other']);
    release?.();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(order).toEqual([
      'start first',
      'start other',
      'end other',
      'end first',
      'start second',
      'end second',
    ]);
  });

  it('answers 502 with the message when the model server failed, and tells the terminal', async () => {
    const errors: unknown[] = [];
    const session = fakeSession(() => {
      throw new ChatError('http://127.0.0.1:9/v1 refused the connection', { kind: 'model-server' });
    });
    web = await startWebChat({ session, onError: (error) => errors.push(error) });
    const answer = await post(['hi']);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'http://127.0.0.1:9/v1 refused the connection',
    });
    expect(errors).toHaveLength(1);
  });

  it('forgets a session on POST /api/reset', async () => {
    const session = fakeSession();
    web = await startWebChat({ session });
    const answer = await send('/api/reset', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-alterego-token': web.token,
        'x-alterego-session': SESSION,
      },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(session.resets).toEqual([`web:${SESSION}`]);
  });

  it('close cancels replies under way and stops listening', async () => {
    let signal: AbortSignal | undefined;
    const session = fakeSession(
      (_messages, _call, given) =>
        new Promise((_, reject) => {
          signal = given;
          given?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    web = await startWebChat({ session });
    const pending = post(['hi']).catch((error: unknown) => error);
    await until(() => signal !== undefined);
    await web.close();
    expect(signal?.aborted).toBe(true);
    await pending;
    await expect(send(`/?token=${web.token}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('parseMessages', () => {
  it('trims messages and checks their number and size', () => {
    expect(parseMessages('{"messages":[" a ","b"]}')).toEqual(['a', 'b']);
    expect(() => parseMessages(JSON.stringify({ messages: Array(21).fill('a') }))).toThrow(
      /1 to 20 strings/,
    );
    expect(() => parseMessages(JSON.stringify({ messages: ['a'.repeat(2001)] }))).toThrow(
      /1 to 2000 characters/,
    );
    expect(() => parseMessages('null')).toThrow(/"messages"/);
  });
});
