// `npm run demo`: the main job on the bundled sample data (samples/, a fictional person's exports),
// run through the bundled `alterego` binary exactly as a user runs it: every export converted,
// fine-tuning data built from them, and the training file validated.
//
//   npm run demo                 writes into .demo/
//   npm run demo -- --out DIR    writes into DIR
import { spawnSync } from 'node:child_process';
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

function alterego(args) {
  console.log(
    `\n$ alterego ${args.map((arg) => (/[\s"]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`,
  );
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
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

console.log('\ndemo finished');
