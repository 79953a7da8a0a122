import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAT_WORDS, defineBenchmark, seededRandom } from '@alterego/core/test';
import autocannon, { type AutocannonResult } from 'autocannon';
import { writeDataset } from '../src/__fixtures__/dataset.js';
import { computeTwilioSignature } from '../src/signature.js';

const AUTH_TOKEN = 'bench-auth-token';
const PUBLIC_URL = 'https://alterego.example.ngrok.app';
const TWILIO_NUMBER = '+15550009999';
const SENDERS = 1_000;
const EXCHANGES = 20_000;
const CONNECTIONS = 16;
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

type Mode = 'ours' | 'fixed' | 'floor';

/**
 * Text with the word frequencies of real chats: a Zipf distribution (s = 1.1) over the chat
 * phrases, then 8,000 made-up words, so that a few words are in most messages and most words in
 * few, as in a person's history (a uniform small vocabulary would make every word match half the
 * index).
 */
function zipfText(next: () => number): () => string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'zo', 'pe', 'sa', 'do', 'li'];
  const vocabulary = [...CHAT_WORDS];
  for (let n = 0; vocabulary.length < CHAT_WORDS.length + 8_000; n += 1) {
    let word = '';
    for (let rest = n; word.length < 4 || rest > 0; rest = Math.floor(rest / syllables.length)) {
      word += syllables[rest % syllables.length];
    }
    vocabulary.push(word);
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= vocabulary.length; rank += 1) {
    total += 1 / rank ** 1.1;
    cumulative.push(total);
  }
  const word = () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low]!;
  };
  return () => Array.from({ length: 2 + Math.floor(next() * 9) }, word).join(' ');
}

const sender = (index: number) => `+1555${String(1_000_000 + index).slice(1)}`;

/** Starts `serve.ts` in its own process; resolves with its address and a stop function. */
function startServer(mode: Mode, configFile: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=@alterego/source', '--import', 'tsx', SERVE, mode, configFile],
    {
      cwd: ROOT,
      env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise<{ address: string; stop: () => Promise<void> }>((resolve, reject) => {
    let output = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const address = /ready (\S+)/.exec(output)?.[1];
      if (address)
        resolve({
          address,
          stop: () =>
            new Promise((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
  });
}

/**
 * Sends `amount` correctly signed webhooks from many senders, each with its own MessageSid. The
 * requests are signed before the clock starts, so that the load generator, on the same cores as
 * the server, spends its time sending rather than hashing.
 */
async function load(
  address: string,
  amount: number,
  seed: number,
): Promise<AutocannonResult & { perSecond: number }> {
  const text = zipfText(seededRandom(seed));
  const bodies = Array.from({ length: 512 }, text);
  const signed = Array.from({ length: amount }, (_, index) => {
    const count = index + 1;
    const sid = `SM${count.toString(16).padStart(32, '0')}`;
    const params = {
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: bodies[count % bodies.length]!,
      To: TWILIO_NUMBER,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: sender(count % SENDERS),
      ApiVersion: '2010-04-01',
    };
    return {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms`, params),
      },
      body: new URLSearchParams(params).toString(),
    };
  });
  let next = 0;
  const run = autocannon({
    url: address,
    connections: CONNECTIONS,
    amount,
    timeout: 20,
    requests: [
      {
        method: 'POST',
        path: '/sms',
        setupRequest(request) {
          const { headers, body } = signed[next % signed.length]!;
          next += 1;
          return { ...request, headers, body };
        },
      },
    ],
  });
  // autocannon's own duration is counted in whole ticks of its clock: requests per second are
  // measured here instead, from the first response to the last.
  let first = 0;
  let last = 0;
  let responses = 0;
  run.on('response', () => {
    last = performance.now();
    if (responses === 0) first = last;
    responses += 1;
  });
  const result = await run;
  return { ...result, perSecond: responses > 1 ? (responses - 1) / ((last - first) / 1000) : 0 };
}

function subject(name: string, mode: Mode, peer = false) {
  return {
    name,
    peer,
    async run(dir: string) {
      const { size } = JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8')) as {
        size: number;
      };
      const server = await startServer(mode, join(dir, 'alterego-sms.config.json'));
      try {
        // A short warm-up (JIT, SQLite page cache), then the measured run.
        await load(server.address, 2_000, 1);
        const result = await load(server.address, size, 2);
        const summary = {
          subject: name,
          requests: result.requests.total,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          seconds: result.duration,
          requestsPerSecond: Math.round(result.perSecond),
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
          },
        };
        await mkdir(join(dir, 'results'), { recursive: true });
        await writeFile(
          join(dir, 'results', `${mode}.json`),
          `${JSON.stringify(summary, null, 2)}\n`,
        );
        console.error(
          `  ${name}: ${summary.requestsPerSecond} req/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, ${summary.non2xx + summary.errors} failed`,
        );
        // Timed from the first answer to the last: not the server's start, index and warm-up.
        const items = Math.min(result['2xx'], size);
        return {
          items,
          ...(result.perSecond > 0 ? { ms: (items / result.perSecond) * 1000 } : {}),
        };
      } finally {
        await server.stop();
      }
    },
  };
}

export default defineBenchmark({
  name: 'sms-webhook',
  description: `signed Twilio webhooks from ${SENDERS} senders over loopback (autocannon, ${CONNECTIONS} connections), answered by the retrieval backend on ${EXCHANGES} exchanges with memory on disk, against a bare fastify route answering fixed TwiML`,
  size: { unit: 'requests', default: 20_000 },
  itemUnit: 'requests',
  async generate({ size, dir }) {
    const text = zipfText(seededRandom(7));
    const exchanges = Array.from({ length: EXCHANGES }, () => [text(), text()] as const);
    await writeDataset(dir, exchanges);
    const allow = Array.from({ length: SENDERS }, (_, index) => sender(index));
    const config = {
      publicUrl: PUBLIC_URL,
      allow,
      routes: { '*': { dataset: '.', backend: 'retrieval' } },
      memoryFile: 'alterego-sms.db',
      rateLimit: { burst: 10_000, perMinute: 1_000_000 },
      logLevel: 'warn',
    };
    await writeFile(join(dir, 'alterego-sms.config.json'), JSON.stringify(config));
    await writeFile(join(dir, 'bench.json'), JSON.stringify({ size }));
    const { size: bytes } = await stat(join(dir, 'train.jsonl'));
    return { path: dir, bytes, items: size };
  },
  subjects: [
    subject('@alterego/sms webhook (retrieval backend)', 'ours'),
    subject('@alterego/sms webhook (instant backend, memory on disk)', 'fixed'),
    subject('floor: bare fastify route, fixed TwiML', 'floor', true),
  ],
});
