import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '@alterego/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { translateChatError } from '../chat/errors.js';
import type { BackendSet } from '../chat/runtime.js';
import {
  BACKENDS,
  type BackendName,
  type ChatFlags,
  type ChatSettings,
  chatSettings,
  knowsModel,
  type LedgerReader,
} from '../chat/settings.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput, writeOut } from '../io.js';
import { wholeNumber } from '../options.js';

export interface EvalFlags extends Omit<ChatFlags, 'backend' | 'fallback'> {
  backend?: BackendName[];
  limit?: number;
  seed?: number;
  samples?: number;
  concurrency?: number;
  html?: string;
  json?: boolean;
}

/** What `alterego eval` needs from outside, replaceable in tests. */
export interface EvalDependencies {
  ledger?: LedgerReader;
  /** Whether stderr shows progress (default: stderr is a terminal). */
  progress?: boolean;
}

const collectBackend = (value: string, previous: BackendName[] = []) => {
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${BACKENDS.join(', ')}`);
  }
  return [...previous, value as BackendName];
};

/**
 * `alterego eval`: replays the dataset's validation replies through backends and says how much
 * each one sounds like the person.
 */
export function registerEvalCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
  dependencies: EvalDependencies = {},
): Command {
  return program
    .command('eval')
    .summary('how much do the replies sound like you? compare backends on your validation set')
    .description(
      'Answers the messages of valid.jsonl (never used for retrieval or training) with each backend and compares the replies with what you really said: wording (chrF), length, emoji, punctuation, casing and vocabulary.',
    )
    .configureOutput(commandOutput(io, 'alterego eval'))
    .option('--dataset <dir>', 'the dataset folder from "alterego build" (default: ./dataset)')
    .addOption(
      new Option(
        '--backend <backend>',
        'retrieval, fewshot or finetuned; repeat to compare (default: retrieval and the finetuned or fewshot one you have)',
      ).argParser(collectBackend),
    )
    .option('-m, --model <model>', 'the model of the fewshot and finetuned backends')
    .option('--base-url <url>', 'an OpenAI-compatible server (default: OpenAI)')
    .addOption(
      new Option('--limit <n>', 'most replies to compare (default 200)').argParser(
        wholeNumber('--limit', 1),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the sample of replies (default 42)').argParser(
        wholeNumber('--seed', 0),
      ),
    )
    .addOption(
      new Option('--samples <n>', 'example rows in the report (default 12)').argParser(
        wholeNumber('--samples', 0),
      ),
    )
    .addOption(
      new Option('--concurrency <n>', 'replies asked at the same time (default 2)').argParser(
        wholeNumber('--concurrency', 1),
      ),
    )
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--json', 'print the report as JSON instead of a table')
    .addHelpText(
      'after',
      `
Settings as for "alterego chat" (ALTEREGO_DATASET, ALTEREGO_CHAT_MODEL, OPENAI_BASE_URL, …).

Examples:
  $ alterego eval
  $ alterego eval --backend retrieval --backend fewshot --base-url http://localhost:11434/v1 --model llama3.2
  $ alterego eval --limit 50 --html eval.html`,
    )
    .action(async (flags: EvalFlags) => {
      const global = program.opts<{ config?: string }>();
      setResult(await runEval({ ...flags, config: global.config }, io, dependencies));
    });
}

/**
 * The backends to compare when none are named: retrieval, plus finetuned when a fine-tuned model
 * is known, else fewshot when a model or server is set; `settings` is what the model backend
 * should use.
 */
export function defaultEvalBackends(
  settings: ChatSettings,
  personaModel: string,
  ledger: LedgerReader,
): { backends: BackendName[]; settings: ChatSettings; note?: string } {
  // A configured model is the finetuned one only when the configured backend is finetuned.
  const forFinetuned: ChatSettings = { ...settings };
  if (settings.backend !== 'finetuned') delete forFinetuned.model;
  if (knowsModel('finetuned', forFinetuned, personaModel, ledger)) {
    return { backends: ['retrieval', 'finetuned'], settings: forFinetuned };
  }
  if (
    (settings.model !== undefined || settings.baseURL !== undefined) &&
    knowsModel('fewshot', settings, personaModel, ledger)
  ) {
    return { backends: ['retrieval', 'fewshot'], settings };
  }
  return {
    backends: ['retrieval'],
    settings,
    note: 'note: comparing the retrieval backend only: no fine-tuned model in the ledger and no --model or --base-url for fewshot; name backends with --backend to compare them',
  };
}

export async function runEval(
  flags: EvalFlags,
  io: CliIO,
  dependencies: EvalDependencies = {},
): Promise<number> {
  const { ledgerReader, openBackends } = await import('../chat/runtime.js');
  const { evaluate, formatEvalTable, loadEvalCases, renderEvalReport } =
    await import('@alterego/chat/eval');
  const ledger = dependencies.ledger ?? ledgerReader;
  let set: BackendSet | undefined;
  try {
    const { backend: _named, ...chatFlags } = flags;
    let settings = await chatSettings(chatFlags, io);
    const validFile = join(settings.datasetDir, 'valid.jsonl');
    if (!existsSync(validFile)) {
      throw new CliError(
        `${settings.datasetLabel}: no valid.jsonl to evaluate on; rebuild it with a validation share: \`alterego build <exports> -o ${settings.datasetLabel} --valid 0.1\``,
        ExitCode.usage,
      );
    }
    const html =
      flags.html === undefined
        ? undefined
        : isAbsolute(flags.html)
          ? flags.html
          : join(io.cwd, flags.html);

    let names = [...new Set(flags.backend ?? [])];
    if (names.length === 0) {
      const { loadPersona } = await import('@alterego/chat');
      const persona = await loadPersona(settings.datasetDir);
      const chosen = defaultEvalBackends(settings, persona.model, ledger);
      names = chosen.backends;
      settings = chosen.settings;
      if (chosen.note !== undefined) io.stderr.write(`${chosen.note}\n`);
    }
    set = await openBackends(settings, ledger);
    const backends = [];
    for (const name of names) backends.push(await set.backend(name));

    const cases = await loadEvalCases(validFile, {
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    if (cases.length === 0) {
      throw new CliError(
        `${settings.datasetLabel}/valid.jsonl: no replies to compare (no assistant turn answers a user turn)`,
        ExitCode.usage,
      );
    }
    const progress = dependencies.progress ?? Boolean(io.stderr.isTTY);
    let shown = false;
    const report = await evaluate({
      persona: set.persona,
      backends,
      cases,
      signal: io.signal,
      ...(flags.samples === undefined ? {} : { samples: flags.samples }),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      ...(progress
        ? {
            onProgress: (done: number, total: number) => {
              shown = true;
              io.stderr.write(`\revaluating ${names.join(', ')}: ${done}/${total} replies\u001b[K`);
            },
          }
        : {}),
    });
    if (shown) io.stderr.write('\r\u001b[K');

    if (html !== undefined) {
      await writeFileAtomic(html, renderEvalReport(report));
      io.stderr.write(`wrote ${flags.html}\n`);
    }
    if (flags.json) await writeOut(io.stdout, `${JSON.stringify(report, null, 2)}\n`);
    else await writeOut(io.stdout, formatEvalTable(report).replace(/\n?$/, '\n'));
    const failed = report.backends.filter((score) => score.errors > 0);
    for (const score of failed) {
      io.stderr.write(
        `warning: ${score.backend}: ${score.errors} of ${report.cases} replies failed\n`,
      );
    }
    // Every reply of a backend failed: its server is unreachable or refused (exit 5).
    const dead = failed.find((score) => score.errors === report.cases);
    if (dead !== undefined) {
      const sample = report.samples.find((row) => row.replies[dead.backend]?.startsWith('(error'));
      throw new CliError(
        `${dead.backend}: every reply failed${sample ? `: ${sample.replies[dead.backend]?.replace(/^\(error: ?|\)$/g, '')}` : ''}`,
        ExitCode.remote,
      );
    }
    return ExitCode.ok;
  } catch (error) {
    throw translateChatError(error, io.signal);
  } finally {
    await set?.close();
  }
}
