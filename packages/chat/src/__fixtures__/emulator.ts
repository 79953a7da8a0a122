import { createServer } from 'node:net';
import OpenAI from 'openai';

/** A client for `baseURL` that also records the JSON body of every request it sends. */
export function recordingClient(baseURL: string, apiKey = 'sk-test') {
  const bodies: Record<string, unknown>[] = [];
  const client = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    fetch: async (url, init) => {
      if (typeof init?.body === 'string')
        bodies.push(JSON.parse(init.body) as Record<string, unknown>);
      return fetch(url, init);
    },
  });
  return { client, bodies };
}

/** A 127.0.0.1 port that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
