import { describe, expect, it } from 'vitest';
import type { ConversationParserV1 } from '../parser.js';
import { runConformance, type ConformanceFixture } from './conformance.js';

export {
  checkConversations,
  runConformance,
  PLATFORM_MARKERS,
  type ConformanceFixture,
  type ConformanceProblem,
  type ConformanceResult,
  type RunConformanceOptions,
} from './conformance.js';

export { createZip, createZipWriter, type ZipFileSpec, type ZipWriter } from './zip.js';
export { seededRandom } from './random.js';
export {
  CHAT_PEOPLE,
  CHAT_WORDS,
  chatSentence,
  pick,
  type ChatSentenceOptions,
} from './chat-text.js';
export { createTextFileWriter, type TextFileWriter } from './text-file-writer.js';
export { useTempFolders, writeTempFiles, type TempFolders, type TestFiles } from './temp-files.js';
export { conversationById, messageById, parsePath } from './parse-path.js';
export {
  defineBenchmark,
  parserSubject,
  type BenchmarkDefinition,
  type BenchmarkRunResult,
  type BenchmarkSubject,
  type GeneratedInput,
  type ParserSubjectOptions,
} from './benchmark.js';

export interface ParserConformanceOptions {
  parser: ConversationParserV1;
  fixtures: readonly ConformanceFixture[];
}

/**
 * The conformance suite every parser package runs on its fixtures (vitest). For each fixture:
 * the parser recognises it, and two parses give schema-valid conversations with ascending times,
 * known participants, at most one self, no platform marker typed as text, stable ids, and
 * well-formed warnings (none at all unless the fixture allows them).
 */
export function describeParserConformance({ parser, fixtures }: ParserConformanceOptions): void {
  describe(`${parser.format} conformance`, () => {
    it('implements specification v1', () => {
      expect(parser.specificationVersion).toBe('v1');
      expect(parser.format).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(parser.displayName.length).toBeGreaterThan(0);
    });
    for (const fixture of fixtures) {
      it(`conforms on ${fixture.name}`, async () => {
        const path = typeof fixture.input === 'string' ? fixture.input : await fixture.input();
        const result = await runConformance(parser, path, {
          parseOptions: fixture.options,
          sourceFormat: fixture.sourceFormat,
        });
        expect(result.detected, `${parser.format} did not recognise ${fixture.name}`).toBe(true);
        expect(result.problems).toEqual([]);
        if (!fixture.allowWarnings) expect(result.warnings).toEqual([]);
      });
    }
  });
}
