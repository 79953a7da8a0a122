import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  AlteregoError,
  type Conversation,
  type ParseWarning,
  toJsonLines,
  writeFileAtomic,
} from '@alterego/core';
import { CliError, InterruptedError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { inputPaths, inputSettings, type InputFlags, openInputs, warningLines } from '../inputs.js';
import { type CliIO, writeOut } from '../io.js';
import {
  countingInput,
  createProgress,
  inputBytes,
  NO_PROGRESS,
  progressWanted,
  summaryRow,
  type SummaryRow,
  summaryTable,
  tally,
  terminalWidth,
} from '../progress.js';

export interface ConvertFlags extends InputFlags {
  output?: string;
  json?: boolean;
}

/** What `convert` did, printed as a summary or as JSON with `--json`. */
export interface ConvertReport {
  inputs: { path: string; formats: string[]; conversations: number; messages: number }[];
  conversations: number;
  messages: number;
  output: string | null;
  timeZone: string;
  warnings: ParseWarning[];
}

/**
 * `alterego convert <input…>`: any supported export to Conversation JSONL. Every input is
 * recognised before anything is written, so an unreadable input fails fast with nothing written;
 * a broken part inside an input is a warning (exit 3) and the rest is converted.
 */
export async function convert(given: string[], flags: ConvertFlags, io: CliIO): Promise<number> {
  const settings = await inputSettings(flags, io);
  const { me, timeZone, registry, resolve } = settings;
  const inputs = inputPaths(given, settings, io.cwd, 'convert');
  const output = flags.output === undefined ? undefined : resolve(flags.output);
  if (output !== undefined) await checkOutput(output, flags.output as string);

  const { sources, close } = await openInputs(inputs, settings);
  const progress = createProgress(io, flags.json);
  const rows: SummaryRow[] = [];
  try {
    const report: ConvertReport = {
      inputs: [],
      conversations: 0,
      messages: 0,
      output: output ?? null,
      timeZone,
      warnings: [],
    };

    async function* conversations(): AsyncGenerator<Conversation> {
      for (const { input, path } of sources) {
        const entry = {
          path,
          formats: [] as string[],
          conversations: 0,
          messages: 0,
        };
        report.inputs.push(entry);
        const row = summaryRow(path);
        rows.push(row);
        progress.begin(path, await inputBytes(input));
        const counted = countingInput(input, (bytes) => progress.bytes(bytes));
        for await (const event of registry.parse(progress === NO_PROGRESS ? input : counted, {
          me,
          timeZone,
          signal: io.signal,
        })) {
          if (io.signal.aborted) throw new InterruptedError();
          if (!entry.formats.includes(event.format)) entry.formats.push(event.format);
          progress.format(event.format);
          if (event.type === 'warning') {
            report.warnings.push(event.warning);
            continue;
          }
          entry.conversations += 1;
          entry.messages += event.conversation.messages.length;
          tally(row, event.conversation, event.format);
          progress.messages(event.conversation.messages.length);
          yield event.conversation;
        }
        if (io.signal.aborted) throw new InterruptedError();
        report.conversations += entry.conversations;
        report.messages += entry.messages;
      }
    }

    if (output !== undefined) {
      await writeFileAtomic(output, toJsonLines(conversations())).catch((error: unknown) => {
        throw isWriteError(error, output) ? cannotWrite(flags.output as string, error) : error;
      });
    } else {
      for await (const line of toJsonLines(conversations())) await writeOut(io.stdout, line);
    }

    progress.done();
    printReport(report, flags, io, progressWanted(io, flags.json) ? rows : undefined);
    return report.warnings.some((warning) => warning.skipped !== false)
      ? ExitCode.partial
      : ExitCode.ok;
  } finally {
    progress.done();
    await close();
  }
}

/** Fails before any work when `-o` names a folder. */
async function checkOutput(path: string, given: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    throw new CliError(
      `${given}: is a folder; give --output a file path such as ${join(given, 'conversations.jsonl')}`,
      ExitCode.usage,
    );
  }
}

/** True for a file-system error about the output file or its temporary file, not about an input. */
function isWriteError(error: unknown, output: string): error is NodeJS.ErrnoException {
  if (AlteregoError.isInstance(error) || !(error instanceof Error)) return false;
  const { path, dest, syscall } = error as NodeJS.ErrnoException & { dest?: string };
  if (syscall === 'mkdir') return true;
  const temporary = join(dirname(output), `.${basename(output)}.`);
  return [path, dest].some((file) => file === output || file?.startsWith(temporary));
}

function cannotWrite(given: string, cause: NodeJS.ErrnoException): CliError {
  const reason =
    cause.code === 'EACCES' || cause.code === 'EPERM'
      ? 'permission denied'
      : cause.code === 'ENOSPC'
        ? 'the disk is full'
        : (cause.code ?? cause.message);
  return new CliError(
    `${given}: cannot write the output file (${reason}); choose another --output path`,
    ExitCode.usage,
    { cause },
  );
}

function printReport(
  report: ConvertReport,
  flags: ConvertFlags,
  io: CliIO,
  table?: SummaryRow[],
): void {
  if (flags.json) {
    // With -o the report is the command's result (stdout); without, stdout carries the JSONL.
    const target = report.output ? io.stdout : io.stderr;
    target.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = warningLines(report.warnings);
  // On a terminal the table says per source what the lines below would.
  if (table) lines.push(summaryTable(table, terminalWidth(io)), '');
  for (const input of table ? [] : report.inputs) {
    lines.push(
      `${input.path}: ${input.conversations} conversation${input.conversations === 1 ? '' : 's'}, ${input.messages} messages (${input.formats.join(', ') || 'nothing recognised'})`,
    );
  }
  const skippedCount = report.warnings.filter((warning) => warning.skipped !== false).length;
  const skipped =
    skippedCount > 0
      ? `; ${skippedCount} part${skippedCount === 1 ? '' : 's'} skipped (see warnings above)`
      : '';
  const where = report.output ? ` → ${report.output}` : '';
  lines.push(
    `converted ${report.conversations} conversations, ${report.messages} messages${where}${skipped}`,
  );
  io.stderr.write(`${lines.join('\n')}\n`);
}
