// `npm run demo`: the main job on the bundled sample data (samples/, a fictional person's exports),
// run through the bundled `alterego` binary exactly as a user runs it: every export converted,
// fine-tuning data built from them, the training file validated, a reply from the offline
// (retrieval) alter ego, then a fine-tune run against the local OpenAI emulator (emulated: nothing
// leaves the machine), a reply from the emulated fine-tuned model, an evaluation of both
// backends, and the HTML reports.
//
//   npm run demo                 writes into .demo/
//   npm run demo -- --out DIR    writes into DIR
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { out: { type: 'string', default: join(root, '.demo') } },
});
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const cli = join(root, 'apps/cli/dist/cli.js');
const show = (path) => relative(process.cwd(), path) || '.';

// The emulated fine-tune keeps its job ledger here, away from the user's own.
const env = { ...process.env, ALTEREGO_HOME: join(out, 'home') };
delete env.OPENAI_API_KEY;
delete env.OPENAI_BASE_URL;

const quote = (arg) => (/[\s"?']/.test(arg) ? JSON.stringify(arg) : arg);

function alterego(args, { input, extraEnv = {}, label } = {}) {
  const shown = `alterego ${args.map(quote).join(' ')}`;
  console.log(
    `\n$ ${input === undefined ? '' : `echo ${quote(input.trim())} | `}${shown}${label ? `   # ${label}` : ''}`,
  );
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error(
      `\ndemo failed: alterego ${args[0]} exited with ${result.status ?? result.signal}`,
    );
    process.exit(result.status || 1);
  }
}

console.log('alterego demo: the exports of Sam Rivera, a fictional person (see samples/README.md)');

// 1. Every export → one Conversation JSONL.
const conversations = join(out, 'conversations.jsonl');
alterego([
  'convert',
  'samples/whatsapp',
  'samples/messenger',
  'samples/imessage/chat.db',
  'samples/twitter',
  'samples/telegram',
  'samples/discord',
  '--contacts',
  'samples/imessage/contacts.vcf',
  '--me',
  'Sam Rivera',
  '--tz',
  'America/New_York',
  '-o',
  show(conversations),
]);

// What came out, in words.
console.log(`\n${show(conversations)}:`);
for (const line of readFileSync(conversations, 'utf8').split('\n').filter(Boolean)) {
  const conversation = JSON.parse(line);
  const self = conversation.participants.find((participant) => participant.self);
  const mine = conversation.messages.filter(
    (message) => message.senderId === self?.id && message.type === 'text',
  );
  const types = {};
  for (const message of conversation.messages) types[message.type] = (types[message.type] ?? 0) + 1;
  const first = conversation.messages[0]?.time.slice(0, 10);
  const last = conversation.messages.at(-1)?.time.slice(0, 10);
  console.log(
    `  ${conversation.title ?? conversation.id} (${conversation.kind}, ${conversation.participants.length} people, ${first} → ${last}): ` +
      `${conversation.messages.length} messages, ${mine.length} typed by ${self?.name ?? 'nobody marked as you'}; ` +
      Object.entries(types)
        .map(([type, count]) => `${count} ${type}`)
        .join(', '),
  );
  for (const message of mine.slice(0, 3))
    console.log(`      ${self.name}: ${JSON.stringify(message.text)}`);
}
// 2. Conversations → fine-tuning data: Sam is the assistant, everyone else the user.
const dataset = join(out, 'dataset');
alterego(['build', show(conversations), '--groups', '-o', show(dataset)]);

// 3. The training file checked the way the hosted service checks it.
alterego(['validate', show(join(dataset, 'train.jsonl'))]);

const example = JSON.parse(readFileSync(join(dataset, 'train.jsonl'), 'utf8').split('\n')[0]);
console.log(`\nthe first training example of ${show(join(dataset, 'train.jsonl'))}:`);
for (const message of example.messages)
  console.log(`  ${message.role.padEnd(9)} ${JSON.stringify(message.content)}`);

// 4. The alter ego answers, offline: Sam's own past reply to the most similar message.
const question = 'hey are you coming to the game tonight?\n';
alterego(['chat', '--dataset', show(dataset)], { input: question });

// 5. A fine-tune, against the local OpenAI emulator: the real OpenAI client and the same commands
// as with OpenAI, but emulated: nothing leaves this machine and no model is trained.
console.log(
  '\n--- emulated from here on: a local OpenAI emulator stands in for the hosted service ---',
);
const emulator = spawn(process.execPath, [cli, 'finetune', 'emulator', '--speed', '600'], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'ignore'],
});
const baseURL = await new Promise((resolve, reject) => {
  let text = '';
  emulator.stdout.on('data', (chunk) => {
    text += chunk;
    const found = /OPENAI_BASE_URL=(\S+)/.exec(text);
    if (found) resolve(found[1]);
  });
  emulator.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
});
const emulated = { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'sk-emulated' };
try {
  alterego(['finetune', 'start', show(dataset), '--yes'], {
    extraEnv: emulated,
    label: 'emulated',
  });
  alterego(['finetune', 'follow', '--interval', '0.2'], { extraEnv: emulated, label: 'emulated' });
  alterego(['chat', '--dataset', show(dataset), '--backend', 'finetuned'], {
    input: question,
    extraEnv: emulated,
    label: 'the emulated fine-tuned model',
  });
  // 6. How much each backend sounds like Sam, on the held-out validation chats.
  alterego(
    [
      'eval',
      '--dataset',
      show(dataset),
      '--backend',
      'retrieval',
      '--backend',
      'finetuned',
      '--limit',
      '40',
      '--html',
      show(join(out, 'eval.html')),
    ],
    { extraEnv: emulated, label: 'finetuned is emulated' },
  );
} finally {
  emulator.kill('SIGINT');
}

// 7. The report: what is in the chats and what the dataset kept, filtered and redacted.
alterego([
  'report',
  show(conversations),
  '--dataset',
  show(dataset),
  '-o',
  show(join(out, 'report.html')),
]);

console.log(
  `\nopen ${show(join(out, 'report.html'))} and ${show(join(out, 'eval.html'))} in a browser`,
);
console.log('\ndemo finished');
