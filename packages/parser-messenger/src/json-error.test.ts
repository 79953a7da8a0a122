import { describe, expect, it } from 'vitest';
import { jsonErrorPlace } from './json-error.js';

describe('jsonErrorPlace', () => {
  it('finds the first broken character', () => {
    expect(jsonErrorPlace('{this is not: valid json')).toEqual({ line: 1, column: 2 });
    expect(jsonErrorPlace('{\n  "participants": [\n    {"name": oops}\n')).toEqual({
      line: 3,
      column: 14,
    });
    expect(jsonErrorPlace('{"a": [1, 2,]}')).toEqual({ line: 1, column: 13 });
    expect(jsonErrorPlace('{"a": "unterminated')).toEqual({ line: 1, column: 20 });
    expect(jsonErrorPlace('{"a": 1} trailing')).toEqual({ line: 1, column: 10 });
  });

  it('finds a file cut short at its end', () => {
    expect(jsonErrorPlace('{\n"messages": [\n')).toEqual({ line: 3, column: 1 });
  });

  it('has nothing to say about valid JSON', () => {
    expect(jsonErrorPlace('{"a": [true, false, null, -1.5e3, "\\u00e9"]}')).toBeUndefined();
  });
});
