/**
 * Where a JSON text first goes wrong, as a 1-based line and column, for warnings about broken
 * thread files. `JSON.parse` names a position only for some errors, so the text is scanned
 * here (only after JSON.parse has failed; valid files never pay for it).
 */
export function jsonErrorPlace(source: string): { line: number; column: number } | undefined {
  const offset = firstErrorOffset(source);
  if (offset === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < source.length; index += 1) {
    if (source.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Stop {
  constructor(readonly offset: number) {}
}

function firstErrorOffset(source: string): number | undefined {
  let index = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (): never => {
    throw new Stop(index);
  };
  const space = () => {
    while (index < source.length && /[ \t\r\n]/.test(source[index]!)) index += 1;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (source[index] !== char) fail();
      index += 1;
    }
  };
  const string = () => {
    index += 1;
    while (index < source.length) {
      const char = source[index]!;
      if (char === '"') {
        index += 1;
        return;
      }
      if (char === '\\') {
        index += 1;
        if (source[index] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(source.slice(index + 1, index + 5))) fail();
          index += 5;
        } else if (/["\\/bfnrt]/.test(source[index] ?? '')) index += 1;
        else fail();
      } else if (char.charCodeAt(0) < 0x20) {
        fail();
      } else {
        index += 1;
      }
    }
    fail();
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      source.slice(index, index + 400),
    );
    if (!match) fail();
    index += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    space();
    const char = source[index];
    if (char === '{') {
      index += 1;
      space();
      if (source[index] === '}') {
        index += 1;
        return;
      }
      for (;;) {
        space();
        if (source[index] !== '"') fail();
        string();
        space();
        if (source[index] !== ':') fail();
        index += 1;
        value(depth + 1);
        space();
        if (source[index] === ',') index += 1;
        else if (source[index] === '}') {
          index += 1;
          return;
        } else fail();
      }
    } else if (char === '[') {
      index += 1;
      space();
      if (source[index] === ']') {
        index += 1;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (source[index] === ',') index += 1;
        else if (source[index] === ']') {
          index += 1;
          return;
        } else fail();
      }
    } else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value(0);
    space();
    return index < source.length ? index : undefined;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    // A nesting too deep for the stack: no place to report.
    return undefined;
  }
}
