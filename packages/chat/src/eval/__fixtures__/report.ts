import type { EvalReport } from '../evaluate.js';
import { scoreBackend } from '../evaluate.js';
import { styleProfile } from '../style-profile.js';

/** A small report with two backends, one of which failed a case. */
export function sampleReport(): EvalReport {
  const cases = [
    { id: '1:2', history: [{ role: 'user' as const, content: 'hike?' }], real: 'in!! which trail' },
    {
      id: '2:2',
      history: [{ role: 'user' as const, content: 'cat?' }],
      real: 'NO WAY\nname him biscuit 😂',
    },
  ];
  const fewshot = scoreBackend('fewshot', cases, [
    { ok: true, text: 'in! which one', ms: 120, model: 'gpt-4.1-mini' },
    { ok: true, text: 'no way\ncall him biscuit 😂', ms: 80, model: 'gpt-4.1-mini' },
  ]);
  const retrieval = scoreBackend('retrieval', cases, [
    { ok: true, text: 'sent!', ms: 2, model: undefined },
    { ok: false, error: 'index missing' },
  ]);
  return {
    persona: 'Sam Rivera',
    cases: 2,
    real: styleProfile(cases.map((c) => c.real)),
    backends: [fewshot, retrieval],
    samples: [
      {
        id: '2:2',
        context: 'Jordan: look who showed up\u001b[31m',
        real: 'NO WAY\nname him biscuit 😂',
        replies: { fewshot: 'no way\ncall him biscuit 😂', retrieval: '(error: index missing)' },
      },
    ],
  };
}
