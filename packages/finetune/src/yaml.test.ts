import { describe, expect, it } from 'vitest';
import { toYaml } from './yaml.js';

describe('toYaml', () => {
  it('writes mappings, sequences and scalars that YAML 1.1 readers read back as the same types', () => {
    expect(
      toYaml(
        {
          model: 'Qwen/Qwen2.5-1.5B-Instruct',
          train: true,
          skipped: undefined,
          empty: [],
          none: null,
          rate: 1e-4,
          small: 0.05,
          big: 2e-21,
          tiny: 1e-7,
          steps: 120,
          'odd key': 'a "quoted" value\nwith a line break',
          list: ['assistant', 7],
          nested: { rank: 8, scale: 2 },
          datasets: [{ path: '/data/train.jsonl', roles: ['assistant'], map: { role: 'role' } }],
        },
        'Written by alterego.',
      ),
    ).toBe(
      [
        '# Written by alterego.',
        'model: "Qwen/Qwen2.5-1.5B-Instruct"',
        'train: true',
        'empty: []',
        'none: null',
        'rate: 0.0001',
        'small: 0.05',
        'big: 2.0e-21',
        'tiny: 1.0e-07',
        'steps: 120',
        '"odd key": "a \\"quoted\\" value\\nwith a line break"',
        'list:',
        '  - "assistant"',
        '  - 7',
        'nested:',
        '  rank: 8',
        '  scale: 2',
        'datasets:',
        '  - path: "/data/train.jsonl"',
        '    roles:',
        '      - "assistant"',
        '    map:',
        '      role: "role"',
        '',
      ].join('\n'),
    );
  });

  it('refuses numbers YAML cannot hold', () => {
    expect(() => toYaml({ rate: Number.NaN })).toThrow('cannot write NaN in YAML');
  });
});
