import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import type { ValidationError } from './errors/validation-error.js';
import { ConversationSchema } from './conversation.js';
import { formatZodError, readConversationsJsonl, writeJsonlAtomic } from './jsonl.js';
import { validConversation } from './__fixtures__/conversations.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alterego-jsonl-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(file: string, invalid: 'throw' | 'skip' = 'throw') {
  const problems: ValidationError[] = [];
  const out = [];
  for await (const conversation of readConversationsJsonl(createReadStream(file), {
    file: 'conversations.jsonl',
    invalid,
    onInvalid: (problem) => problems.push(problem),
  })) {
    out.push(conversation);
  }
  return { out, problems };
}

describe('Conversation JSONL', () => {
  it('round-trips conversations through an atomic write', async () => {
    const file = join(dir, 'out/conversations.jsonl');
    const second = { ...validConversation(), id: 'whatsapp:second' };
    expect(await writeJsonlAtomic(file, [validConversation(), second])).toBe(2);
    const { out } = await readAll(file);
    expect(out).toEqual([validConversation(), second]);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3);
  });

  it('names the file and line of an invalid line, and says what is wrong', async () => {
    const file = join(dir, 'c.jsonl');
    const broken = { ...validConversation(), kind: 'channel' };
    await writeFile(
      file,
      `${JSON.stringify(validConversation())}\n\n${JSON.stringify(broken)}\n{oops\n`,
    );
    await expect(readAll(file)).rejects.toThrow(
      /^conversations\.jsonl:3: not a valid Conversation: kind: /,
    );
    const { out, problems } = await readAll(file, 'skip');
    expect(out).toHaveLength(1);
    expect(problems.map((problem) => problem.line)).toEqual([3, 4]);
    expect(problems[0]!.reason).toMatch(/^not a valid Conversation: kind: /);
    expect(problems[1]!.reason).toMatch(/^not valid JSON \(/);
  });

  it('reads lines in any key order the same as the schema, and words errors the same', async () => {
    const file = join(dir, 'mixed.jsonl');
    const plain = validConversation();
    // Same content with keys in another order: the schema returns them in its own order.
    const { schema, ...rest } = { ...validConversation(), id: 'whatsapp:reordered' };
    const reordered = { ...rest, schema };
    const badTime = validConversation();
    badTime.messages[1]!.time = '2023-02-30T21:15:00.000Z';
    const lines = [plain, reordered, badTime].map((value) => JSON.stringify(value));
    await writeFile(file, `${lines.join('\n')}\n`);
    const { out, problems } = await readAll(file, 'skip');
    expect(out.map((conversation) => JSON.stringify(conversation))).toEqual([
      JSON.stringify(ConversationSchema.parse(plain)),
      JSON.stringify(ConversationSchema.parse(reordered)),
    ]);
    expect(JSON.stringify(out[1])).not.toBe(lines[1]);
    expect(problems.map((problem) => [problem.line, problem.reason])).toEqual([
      [
        3,
        `not a valid Conversation: ${formatZodError(ConversationSchema.safeParse(badTime).error!)}`,
      ],
    ]);
  });
});

describe('writeFileAtomic', () => {
  it('leaves the old file and no temporary file when writing fails midway', async () => {
    const file = join(dir, 'train.jsonl');
    await writeFile(file, 'old content\n');
    async function* failing() {
      yield 'new line 1\n';
      throw new Error('disk on fire');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('disk on fire');
    expect(await readFile(file, 'utf8')).toBe('old content\n');
    expect(await readdir(dir)).toEqual(['train.jsonl']);
  });

  it('replaces the file whole when writing succeeds', async () => {
    const file = join(dir, 'nested/deeper/out.txt');
    await writeFileAtomic(file, ['a', Buffer.from('b')]);
    expect(await readFile(file, 'utf8')).toBe('ab');
    await writeFileAtomic(file, 'c');
    expect(await readFile(file, 'utf8')).toBe('c');
  });

  it.skipIf(process.platform === 'win32')('makes files only their owner can read', async () => {
    const file = join(dir, 'private.jsonl');
    await writeFileAtomic(file, 'secret\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
