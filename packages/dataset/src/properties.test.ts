import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempFolders } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { generateConversations, PLANTED, PLANTED_WORD } from './__fixtures__/generate.js';
import { buildDataset } from './builder.js';
import type { DatasetOptions } from './options.js';
import { createRedactor } from './redact.js';
import { countExampleTokens } from './tokens.js';
import { validateTrainingLines } from './validate.js';
import { writeDataset } from './write-dataset.js';

const temp = useTempFolders('alterego-dataset-');
const SEEDS = Array.from({ length: 12 }, (_, index) => index + 1);
const GAP_MINUTES = 45;

function combinations(): DatasetOptions[] {
  const all: DatasetOptions[] = [];
  for (const mode of ['sessions', 'pairs'] as const)
    for (const includeGroups of [false, true])
      for (const redact of [true, false])
        for (const dropLinkOnly of [false, true])
          for (const postPrompt of ['', 'Write a post.'])
            for (const maxExampleTokens of [96, 2048])
              all.push({
                mode,
                includeGroups,
                redact,
                dropLinkOnly,
                postPrompt,
                maxExampleTokens,
                sessionGapMinutes: GAP_MINUTES,
                redactWords: redact ? [PLANTED_WORD] : [],
                minTrainExamples: 0,
                contextTurns: 3,
                validFraction: 0.3,
              });
  return all;
}

const MARKER = /^(?:[^\n:]+: )?([SO])(\d+) /;

describe('dataset properties over generated conversations', () => {
  for (const seed of SEEDS) {
    it(`hold for every option combination (seed ${seed})`, async () => {
      const { conversations, times } = generateConversations(seed);
      for (const options of combinations()) {
        const label = `seed ${seed} ${JSON.stringify(options)}`;
        const redactor = createRedactor({ words: options.redactWords });
        const clean = (text: string) =>
          options.redact ? redactor.redact(text) : redactor.redactWords(text);
        const selfLines = new Set<string>();
        const otherLines = new Set<string>();
        for (const conversation of conversations) {
          for (const message of conversation.messages) {
            if (message.type !== 'text' || message.senderId === null) continue;
            const target = message.senderId === 'me' ? selfLines : otherLines;
            for (const line of clean(message.text).split('\n')) target.add(line);
          }
        }
        const result = await buildDataset(conversations, options);
        const sessions = { train: new Set<string>(), valid: new Set<string>() };
        const markers = { train: new Set<string>(), valid: new Set<string>() };
        let tokens = 0;
        for (const built of result.examples) {
          sessions[built.split].add(`${built.conversationId}#${built.session}`);
          const messages = built.example.messages;
          expect(messages.at(-1)!.role, label).toBe('assistant');
          expect(
            messages.some((m) => m.role === 'assistant' && m.weight === undefined),
            label,
          ).toBe(true);
          expect(built.tokens, label).toBe(countExampleTokens(messages as never));
          expect(built.tokens, label).toBeLessThanOrEqual(options.maxExampleTokens!);
          tokens += built.split === 'train' ? built.tokens : 0;
          const exampleTimes: number[] = [];
          for (const message of messages) {
            if (message.role === 'system') continue;
            if (message.weight !== undefined) expect(message.role, label).toBe('assistant');
            for (const line of message.content.split('\n')) {
              if (message.role === 'assistant') {
                // Every assistant line is the person's own text, after redaction.
                expect(selfLines.has(line), `${label}: ${line}`).toBe(true);
              } else if (message.content !== options.postPrompt) {
                // No user turn holds the person's text.
                const bare = line.replace(/^(?:Alex Chen|Mia 🌸|Olek): /, '');
                expect(otherLines.has(bare), `${label}: ${line}`).toBe(true);
                expect(line, label).not.toMatch(/(?:^|: )S\d+ /);
              }
              const match = MARKER.exec(line);
              if (match) {
                exampleTimes.push(times[Number(match[2])]!);
                markers[built.split].add(match[1]! + match[2]!);
              } else if (message.content !== options.postPrompt) {
                // An unmarked line ("ok") has no known time: compare only lines next to each other.
                exampleTimes.push(NaN);
              }
            }
          }
          // No example spans a silence longer than the gap.
          for (let index = 1; index < exampleTimes.length; index += 1) {
            const gap = exampleTimes[index]! - exampleTimes[index - 1]!;
            if (!Number.isNaN(gap)) expect(gap, label).toBeLessThanOrEqual(GAP_MINUTES * 60_000);
          }
          if (options.redact) {
            const text = JSON.stringify(messages);
            for (const [, secret] of PLANTED) expect(text, label).not.toContain(secret);
            expect(text, label).not.toContain('482913');
          }
          if (options.dropLinkOnly) {
            for (const message of messages) {
              expect(message.content.split('\n'), label).not.toContain('https://example.com/x');
            }
          }
        }
        // Train and validation share no session, and no message.
        for (const session of sessions.train)
          expect(sessions.valid.has(session), label).toBe(false);
        for (const marker of markers.train) expect(markers.valid.has(marker), label).toBe(false);
        expect(result.summary.tokens.train.total, label).toBe(tokens);
        // Deterministic.
        expect(JSON.stringify(await buildDataset(conversations, options)), label).toBe(
          JSON.stringify(result),
        );
        // What build writes, validate accepts (the minimum count aside, for these small chats).
        const lines = result.train.map((example) => JSON.stringify(example));
        if (lines.length >= 10) {
          const report = await validateTrainingLines(lines, { model: 'gpt-4o-mini-2024-07-18' });
          expect(report.errors, label).toEqual([]);
          expect(report.ok, label).toBe(true);
          expect(report.stats.tokensPerExample.total, label).toBe(tokens);
        }
      }
      // Many builds per seed: generous when the machine is busy running other suites in parallel.
    }, 60_000);
  }

  it('writes byte-identical files on two runs', async () => {
    const { conversations } = generateConversations(3);
    const options: DatasetOptions = {
      includeGroups: true,
      redactWords: [PLANTED_WORD],
      validFraction: 0.3,
    };
    const [a, b] = [temp.dir(), temp.dir()];
    await writeDataset(a, conversations, options);
    await writeDataset(b, conversations, options);
    for (const file of ['train.jsonl', 'valid.jsonl', 'manifest.json']) {
      expect(await readFile(join(a, file))).toEqual(await readFile(join(b, file)));
    }
  });
});
