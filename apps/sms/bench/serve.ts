// The server under load, in a process of its own: `ours` (the alterego SMS server on the real
// retrieval backend), `fixed` (the same server and memory, a backend that answers at once, to
// tell the server's share from the search's) or `floor` (a bare fastify route answering fixed
// TwiML). Prints the address.
//   node --conditions=@alterego/source --import tsx apps/sms/bench/serve.ts ours|fixed|floor CONFIG.json
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import formbody from '@fastify/formbody';
import { createChat, loadPersona, openChatMemory } from '@alterego/chat';
import Fastify from 'fastify';
import { MEMORY_FLUSH_MS } from '../src/chat-factory.js';
import { createSmsServer, parseSmsConfig } from '../src/index.js';

const [mode, configFile] = process.argv.slice(2);
if ((mode !== 'ours' && mode !== 'fixed' && mode !== 'floor') || !configFile) {
  console.error('usage: serve.ts ours|fixed|floor CONFIG.json');
  process.exit(2);
}
const json = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
const config = parseSmsConfig(json, {
  env: { TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN },
  baseDir: dirname(configFile),
  file: configFile,
});

let app;
if (mode === 'ours') {
  app = await createSmsServer(config);
} else if (mode === 'fixed') {
  app = await createSmsServer(config, {
    async createChat(route) {
      const persona = await loadPersona(route.dataset);
      const chat = createChat({
        persona,
        backend: {
          name: 'fixed',
          local: true,
          reply: async () => ({ text: 'ok see you there', backend: 'fixed' }),
        },
        memory: openChatMemory(config.memoryFile, {
          gapMinutes: persona.sessionGapMinutes,
          flushMs: MEMORY_FLUSH_MS,
          worker: true,
        }),
      });
      // As the real factory marks a chat whose backends answer from memory.
      return Object.assign(chat, { local: true });
    },
  });
} else {
  app = Fastify({ logger: false });
  await app.register(formbody);
  const twiml =
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok see you there</Message></Response>';
  app.post(config.path, async (_request, reply) =>
    reply.type('text/xml; charset=utf-8').send(twiml),
  );
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`ready ${address}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
