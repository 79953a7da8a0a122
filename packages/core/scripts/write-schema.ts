// Writes schema/conversation.schema.json from the zod schema. `--check` fails when the file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { conversationJsonSchema } from '../src/json-schema.js';

const target = fileURLToPath(new URL('../schema/conversation.schema.json', import.meta.url));
const expected = `${JSON.stringify(conversationJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  const actual = await readFile(target, 'utf8').catch(() => '');
  if (actual !== expected) {
    console.error(
      `${target} is out of date with the zod schema: run "npm run schema" and commit it`,
    );
    process.exit(1);
  }
  console.error('schema/conversation.schema.json is current');
} else {
  await writeFile(target, expected);
  console.error(`wrote ${target}`);
}
