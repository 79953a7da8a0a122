import { describe, expect, it } from 'vitest';
import { classifyDataFile } from './archive-layout.js';

describe('classifyDataFile', () => {
  it('knows the data files the parser reads, and their part numbers', () => {
    expect(classifyDataFile('tweets.js')).toEqual({ kind: 'tweets', part: 0 });
    expect(classifyDataFile('tweets-part12.js')).toEqual({ kind: 'tweets', part: 12 });
    expect(classifyDataFile('tweet.js')).toEqual({ kind: 'tweets', part: 0 });
    expect(classifyDataFile('note-tweet.js')).toEqual({ kind: 'noteTweets', part: 0 });
    expect(classifyDataFile('direct-messages-part1.js')).toEqual({
      kind: 'directMessages',
      part: 1,
    });
    expect(classifyDataFile('direct-messages-group.js')).toEqual({
      kind: 'groupMessages',
      part: 0,
    });
    expect(classifyDataFile('account.js')).toEqual({ kind: 'account', part: 0 });
    expect(classifyDataFile('manifest.js')).toEqual({ kind: 'manifest', part: 0 });
  });

  it('ignores everything else', () => {
    for (const name of [
      'like.js',
      'tweets.json',
      'tweets-part.js',
      'deleted-tweets.js',
      'direct-message-headers.js',
      'Tweets.js',
    ]) {
      expect(classifyDataFile(name), name).toBeUndefined();
    }
  });
});
