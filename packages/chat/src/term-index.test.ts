import { chatSentence, seededRandom } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { createReplyIndex } from './reply-index.js';
import { buildTermIndex, termOf, textWords } from './term-index.js';

describe('textWords and termOf', () => {
  it('split on everything but letters, digits and marks, and fold case and accents', () => {
    expect(textWords('Ça VA? I’m at the café… 🍕 Олег, 2nite!')).toEqual([
      'ça',
      'va',
      'i',
      'm',
      'at',
      'the',
      'café',
      'олег',
      '2nite',
    ]);
    expect(termOf('café')).toBe('cafe');
    expect(termOf('ça')).toBe('ca');
    expect(termOf('zoë')).toBe('zoe');
    // FTS5 removes diacritics from Latin letters only.
    expect(['й', 'ά', 'ありがとう', 'ø'].map(termOf)).toEqual(['й', 'ά', 'ありがとう', 'ø']);
    expect(textWords('word '.repeat(100))).toHaveLength(64);
  });
});

describe('buildTermIndex', () => {
  it('ranks by BM25: rarer words and shorter documents first, ties by key', () => {
    const index = buildTermIndex([
      [1, 'pizza tonight with everyone from work'],
      [2, 'pizza'],
      [3, 'tonight'],
      [4, 'pizza'],
      [5, 'nothing in common'],
    ]);
    expect(index.documents).toBe(5);
    expect(index.frequency('pizza')).toBe(3);
    expect(index.frequency('zeppelin')).toBe(0);
    const hits = index.search(['pizza', 'tonight'], 10);
    // "pizza" is in more than half of the documents: it counts next to nothing (FTS5's idf floor),
    // so the short "tonight" beats the long document that has both.
    expect(hits.map((hit) => hit.key)).toEqual([3, 1, 2, 4]);
    expect(hits[2]!.score).toBe(hits[3]!.score);
    expect(index.search(['pizza'], 2).map((hit) => hit.key)).toEqual([2, 4]);
    expect(index.search(['pizza'], 1).map((hit) => hit.key)).toEqual([2]);
    expect(index.search(['zeppelin'], 10)).toEqual([]);
    // Scores are reset between searches.
    expect(index.search(['pizza', 'tonight'], 10)).toEqual(hits);
  });

  it('orders like SQLite FTS5 bm25() on generated chats', () => {
    const next = seededRandom(3);
    const exchanges = Array.from({ length: 600 }, (_, n) => ({
      prompt: `${chatSentence(next)} ${chatSentence(next, { min: 1, max: 3 })}`,
      reply: `reply ${n}`,
    }));
    const memory = createReplyIndex(exchanges);
    const sqlite = createReplyIndex(exchanges, { memorySearchLimit: 0 });
    for (let query = 0; query < 100; query += 1) {
      const text = chatSentence(next);
      const fromMemory = memory.search(text, 5);
      const fromSqlite = sqlite.search(text, 5);
      expect(
        fromMemory.map((hit) => hit.reply),
        text,
      ).toEqual(fromSqlite.map((hit) => hit.reply));
      for (const [at, hit] of fromMemory.entries()) {
        expect(hit.score).toBeCloseTo(fromSqlite[at]!.score, 6);
      }
    }
    memory.close();
    sqlite.close();
  });
});
