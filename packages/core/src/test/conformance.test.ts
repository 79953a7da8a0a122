import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../conversation.js';
import { createConversationJsonlParser } from '../jsonl-parser.js';
import type { ConversationParserV1 } from '../parser.js';
import { validConversation } from '../__fixtures__/conversations.js';
import { checkConversations, runConformance } from './conformance.js';
import { describeParserConformance } from './index.js';

let dir: string;
let fixture: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alterego-conformance-test-'));
  fixture = join(dir, 'conversations.jsonl');
  await writeFile(fixture, `${JSON.stringify(validConversation())}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function rules(change: (conversation: Conversation) => void): string[] {
  const conversation = validConversation();
  change(conversation);
  return checkConversations([conversation]).map((problem) => problem.rule);
}

describe('checkConversations', () => {
  it('passes a conforming conversation', () => {
    expect(checkConversations([validConversation()])).toEqual([]);
  });

  it.each<[string, (c: Conversation) => void, string]>([
    ['a schema violation', (c) => (c.messages[1]!.time = 'yesterday'), 'schema'],
    [
      'descending times',
      (c) => (c.messages[3]!.time = '2020-01-01T00:00:00.000Z'),
      'ascending-time',
    ],
    ['an unknown sender', (c) => (c.messages[2]!.senderId = 'ghost'), 'unknown-participant'],
    ['two selves', (c) => (c.participants[1]!.self = true), 'several-self'],
    [
      'a media placeholder typed as text',
      (c) => (c.messages[2]!.text = '\u200eimage omitted'.replace('\u200e', '')),
      'marker-as-text',
    ],
    [
      'an Android placeholder typed as text',
      (c) => (c.messages[2]!.text = '<Media omitted>'),
      'marker-as-text',
    ],
    [
      'an attachment line typed as text',
      (c) => (c.messages[2]!.text = '<attached: 00000012-PHOTO-2020-01-01-12-00-00.jpg>'),
      'marker-as-text',
    ],
    ['a tapback typed as text', (c) => (c.messages[2]!.text = 'Loved “see you”'), 'marker-as-text'],
    [
      'a Messenger reaction line typed as text',
      (c) => (c.messages[2]!.text = 'Reacted ❤ to your message'),
      'marker-as-text',
    ],
    [
      'an encryption notice typed as text',
      (c) =>
        (c.messages[2]!.text =
          'Messages and calls are end-to-end encrypted. No one outside of this chat can read them.'),
      'marker-as-text',
    ],
    [
      'an edit marker left in text',
      (c) => (c.messages[2]!.text = 'ok <This message was edited>'),
      'marker-as-text',
    ],
    ['a text message without text', (c) => (c.messages[2]!.text = '  '), 'empty-text'],
  ])('catches %s', (_name, change, rule) => {
    expect(rules(change)).toContain(rule);
  });

  it('does not flag ordinary words that mention media', () => {
    expect(
      rules((c) => (c.messages[2]!.text = 'the image omitted from the report was mine')),
    ).toEqual([]);
  });
});

describe('runConformance', () => {
  it('passes a conforming parser', async () => {
    const result = await runConformance(createConversationJsonlParser(), fixture, {
      sourceFormat: null,
    });
    expect(result.detected).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.conversations).toHaveLength(1);
  });

  it('catches ids that change between runs, a wrong format and a wrong platform', async () => {
    let run = 0;
    const flaky: ConversationParserV1 = {
      ...createConversationJsonlParser(),
      format: 'flaky',
      platforms: ['telegram'],
      async *parse() {
        run += 1;
        yield { type: 'conversation', conversation: { ...validConversation(), id: `x:${run}` } };
        yield {
          type: 'warning',
          warning: { file: '', ruleId: 'flaky:x', reason: 'r', source: 'flaky' },
        };
      },
    };
    const { problems } = await runConformance(flaky, fixture);
    expect(problems.map((problem) => problem.rule).sort()).toEqual([
      'format',
      'platform',
      'unstable-id',
      'warning-shape',
    ]);
  });

  it('catches a parser that finds nothing', async () => {
    const empty: ConversationParserV1 = { ...createConversationJsonlParser(), async *parse() {} };
    const { problems } = await runConformance(empty, fixture, { sourceFormat: null });
    expect(problems.map((problem) => problem.rule)).toEqual(['no-conversations']);
  });
});

// The exported suite itself, run on core's own JSONL parser.
describeParserConformance({
  parser: createConversationJsonlParser(),
  fixtures: [
    { name: 'a Conversation JSONL file', input: () => fixture, sourceFormat: null },
    {
      name: 'a JSONL file with a broken line',
      input: async () => {
        const file = join(dir, 'broken.jsonl');
        await writeFile(
          file,
          `${JSON.stringify(validConversation())}\n{"schema":"alterego.conversation/1"}\n`,
        );
        return file;
      },
      allowWarnings: true,
      sourceFormat: null,
    },
  ],
});
