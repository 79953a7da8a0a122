/**
 * Fine-tuning suffixes: up to 64 characters; letters, digits, `-`, `_` and `.`. Returns the
 * reason a suffix is refused, or undefined when it is fine.
 */
export function checkSuffix(suffix: string): string | undefined {
  if (suffix.length === 0) return 'the suffix is empty';
  if (suffix.length > 64)
    return `the suffix has ${suffix.length} characters; at most 64 are allowed`;
  const bad = /[^A-Za-z0-9._-]/.exec(suffix);
  if (bad) {
    return `the suffix contains ${JSON.stringify(bad[0])}; use only letters, digits, "-", "_" and "."`;
  }
  return undefined;
}
