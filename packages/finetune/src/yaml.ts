/**
 * A small YAML writer for engine configuration files: mappings, sequences, strings (always
 * double-quoted, so nothing is read as a number or a boolean by accident), numbers, booleans and
 * null. Floats are written so that YAML 1.1 readers (PyYAML) read them as floats too: `1.0e-04`,
 * never `1e-4`.
 */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

/** Writes a mapping as a YAML document; keys with an `undefined` value are left out. */
export function toYaml(
  value: { readonly [key: string]: YamlValue | undefined },
  header?: string,
): string {
  const comment =
    header === undefined
      ? ''
      : `${header
          .split('\n')
          .map((line) => `# ${line}`.trimEnd())
          .join('\n')}\n`;
  return `${comment}${mapping(value, 0)}`;
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return number(value);
  return JSON.stringify(value);
}

function number(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} in YAML`);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${digits}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}

function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : JSON.stringify(name);
}

function isMapping(value: YamlValue): value is { readonly [key: string]: YamlValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapping(value: { readonly [key: string]: YamlValue | undefined }, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out += `${pad}${key(name)}:${block(item, indent)}`;
  }
  return out;
}

/** What follows `key:` or `-`: a scalar on the same line, or a nested block. */
function block(item: YamlValue, indent: number): string {
  if (Array.isArray(item)) {
    if (item.length === 0) return ' []\n';
    return `\n${sequence(item, indent + 2)}`;
  }
  if (isMapping(item)) {
    if (Object.values(item).every((entry) => entry === undefined)) return ' {}\n';
    return `\n${mapping(item, indent + 2)}`;
  }
  return ` ${scalar(item as string | number | boolean | null)}\n`;
}

function sequence(items: readonly YamlValue[], indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const item of items) {
    if (isMapping(item) && Object.values(item).some((entry) => entry !== undefined)) {
      // The first key on the dash's line, the others under it.
      const body = mapping(item, indent + 2);
      out += `${pad}- ${body.slice(indent + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      out += `${pad}-\n${sequence(item, indent + 2)}`;
    } else {
      out += `${pad}-${block(item, indent)}`;
    }
  }
  return out;
}
