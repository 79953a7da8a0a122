import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { type TrainingFileReport, validateTrainingFile } from '@alterego/dataset';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput } from '../io.js';

export interface ValidateFlags {
  model?: string;
  json?: boolean;
}

/**
 * `alterego validate FILE`: the hosted service's checks on a chat fine-tuning JSONL, with line
 * numbers, token distribution and cost. Exit 0 only when the service would accept the file, 1
 * when it would not, 2 when the file cannot be read.
 */
export async function validate(file: string, flags: ValidateFlags, io: CliIO): Promise<number> {
  const path = isAbsolute(file) || io.cwd === process.cwd() ? file : join(io.cwd, file);
  const report = await validateTrainingFile(path, { model: flags.model });
  report.file = file;
  if (flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(`${formatReport(report)}\n`);
  return report.ok ? ExitCode.ok : ExitCode.failure;
}

function formatReport(report: TrainingFileReport): string {
  const lines: string[] = [];
  for (const error of report.errors) {
    lines.push(
      `error: ${report.file}${error.line === undefined ? '' : `:${error.line}`}: ${error.message} [${error.code}]`,
    );
  }
  const listed = report.errors.length;
  const total = Object.values(report.errorCounts).reduce((sum, count) => sum + (count ?? 0), 0);
  if (total > listed)
    lines.push(`… and ${total - listed} more errors (use --json to see counts by kind)`);
  for (const warning of report.warnings) {
    lines.push(
      `warning: ${report.file}${warning.line === undefined ? '' : `:${warning.line}`}: ${warning.message} [${warning.code}]`,
    );
  }
  const {
    tokensPerExample: tokens,
    assistantTokensPerExample: assistant,
    messagesPerExample,
  } = report.stats;
  lines.push(
    `${report.examples} examples; ${report.stats.missingSystem} without a system message, ${report.stats.missingUser} without a user message`,
    `messages per example: min ${messagesPerExample.min}, median ${messagesPerExample.median}, max ${messagesPerExample.max}`,
    `tokens per example: min ${tokens.min}, p10 ${tokens.p10}, median ${tokens.median}, p90 ${tokens.p90}, max ${tokens.max}; total ${tokens.total}`,
    `assistant tokens per example: median ${assistant.median}, max ${assistant.max}`,
    `cost: ~$${report.cost.estimate.usd.toFixed(2)} on ${report.model} (${report.cost.epochs} epochs × ${report.cost.estimate.billedTokensPerEpoch} tokens)`,
    report.ok
      ? `ok: ${report.file} would be accepted for fine-tuning`
      : `rejected: ${report.file} has ${total} error${total === 1 ? '' : 's'}; fix them and run validate again`,
  );
  return lines.join('\n');
}

/** Adds `alterego validate` to the program. */
export function registerValidateCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
): Command {
  return program
    .command('validate')
    .summary('check a chat fine-tuning JSONL the way the hosted service does')
    .description(
      "Checks every line of a chat fine-tuning JSONL file with the hosted service's rules (OpenAI's data-preparation checks, roles, weight 0/1 on assistant messages only, at least 10 examples, 512 MB), and reports token distribution and cost. Exit 0 only when the file would be accepted.",
    )
    .configureOutput(commandOutput(io, 'alterego validate'))
    .argument('<file>', 'a .jsonl file such as dataset/train.jsonl')
    .option(
      '--model <model>',
      'model to check limits and cost for (default gpt-4.1-mini-2025-04-14)',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 would be accepted, 1 would be rejected, 2 the file cannot be read.

Examples:
  $ alterego validate dataset/train.jsonl
  $ alterego validate my-data.jsonl --model gpt-4o-mini-2024-07-18 --json`,
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      setResult(
        await validate(
          file,
          { model: options.model as string | undefined, json: Boolean(options.json) },
          io,
        ),
      );
    });
}
