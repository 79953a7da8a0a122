/**
 * `@alterego/chat/eval`: how much do the alter ego's replies sound like the person? Replays the
 * validation set's real replies through reply backends and compares style and wording.
 */
export { chrF, corpusChrF, type ChrFOptions } from './chrf.js';
export {
  evaluate,
  type BackendScore,
  type EvalReport,
  type EvalSample,
  type EvaluateOptions,
} from './evaluate.js';
export { formatEvalTable } from './format-table.js';
export { loadEvalCases, type EvalCase, type LoadEvalCasesOptions } from './load-cases.js';
export { renderEvalReport } from './render-report.js';
export { styleProfile, type StyleProfile } from './style-profile.js';
