import { chatSentence, seededRandom } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { createReplyIndex } from './reply-index.js';
import { buildTermIndex, termOf, textWords, type TermIndex } from './term-index.js';

/** Searches for words as given (already terms). */
const searchFor = (index: TermIndex, terms: readonly string[], limit: number) =>
  index.search(
    terms.flatMap((term) => index.lookup(term) ?? []),
    limit,
  );

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

describe('textWords on plain ASCII', () => {
  it('finds the same words as the general Unicode reading', () => {
    const next = seededRandom(21);
    const alphabet = "aZ09 _-'.,!?\n\t@#/:;()[]{}<>\u0001\u007f";
    for (let round = 0; round < 2000; round += 1) {
      let text = '';
      const length = Math.floor(next() * 90);
      for (let at = 0; at < length; at += 1) text += alphabet[Math.floor(next() * alphabet.length)];
      const general = [...text.toLowerCase().matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)]
        .map((match) => match[0])
        .slice(0, 64);
      expect(textWords(text), JSON.stringify(text)).toEqual(general);
      for (const word of general) expect(termOf(word)).toBe(word);
    }
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
    expect(index.lookup('pizza')?.documents).toBe(3);
    expect(index.lookup('zeppelin')).toBeUndefined();
    const hits = searchFor(index, ['pizza', 'tonight'], 10);
    // "pizza" is in more than half of the documents: it counts next to nothing (FTS5's idf floor),
    // so the short "tonight" beats the long document that has both.
    expect(hits.map((hit) => hit.key)).toEqual([3, 1, 2, 4]);
    expect(hits[2]!.score).toBe(hits[3]!.score);
    expect(searchFor(index, ['pizza'], 2).map((hit) => hit.key)).toEqual([2, 4]);
    expect(searchFor(index, ['pizza'], 1).map((hit) => hit.key)).toEqual([2]);
    expect(searchFor(index, ['zeppelin'], 10)).toEqual([]);
    // Scores are reset between searches.
    expect(searchFor(index, ['pizza', 'tonight'], 10)).toEqual(hits);
  });

  it('finds the same best hits as scoring every document, when common words are only looked up', () => {
    const next = seededRandom(8);
    // Zipf-like words: a few in most documents, most in a few.
    const vocabulary = Array.from({ length: 400 }, (_, n) => `w${n}`);
    const word = () => vocabulary[Math.floor(vocabulary.length * next() ** 3)]!;
    const texts = Array.from({ length: 3000 }, () =>
      Array.from({ length: 2 + Math.floor(next() * 10) }, word).join(' '),
    );
    const index = buildTermIndex(texts.map((text, key) => [key, text] as const));
    const wordsOf = texts.map((text) => textWords(text));
    const lengths = wordsOf.map((words) => words.length);
    const average = lengths.reduce((sum, length) => sum + length, 0) / lengths.length;
    /** BM25 of every document, the slow way. */
    const everything = (terms: string[]) => {
      const scored = wordsOf.map((words, key) => {
        let score = 0;
        for (const term of new Set(terms)) {
          const count = words.filter((w) => w === term).length;
          if (count === 0) continue;
          const matching = index.lookup(term)!.documents;
          let idf = Math.log((texts.length - matching + 0.5) / (matching + 0.5));
          if (idf <= 0) idf = 1e-6;
          const norm = 1.2 * (1 - 0.75 + (0.75 * lengths[key]!) / average);
          score += (idf * count * 2.2) / (count + norm);
        }
        return { key, score };
      });
      return scored
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score || a.key - b.key);
    };
    for (let query = 0; query < 200; query += 1) {
      const terms = Array.from({ length: 1 + Math.floor(next() * 8) }, word);
      const ranked = everything(terms);
      for (const limit of [1, 5, 20]) {
        const fast = searchFor(index, terms, limit);
        const slow = ranked.slice(0, limit);
        expect(
          fast.map((hit) => hit.key),
          terms.join(' '),
        ).toEqual(slow.map((hit) => hit.key));
        for (const [at, hit] of fast.entries()) expect(hit.score).toBeCloseTo(slow[at]!.score, 9);
      }
    }
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
