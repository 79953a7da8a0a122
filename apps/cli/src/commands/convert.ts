import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import {
  AlteregoError,
  combineInputs,
  type Conversation,
  formatPlace,
  type InputSource,
  localTimeZone,
  openInput,
  type ParseWarning,
  resolveTimeZone,
  toJsonLines,
  ValidationError,
  writeFileAtomic,
} from '@alterego/core';
import { CliError, InterruptedError } from '../cli-error.js';
import { envList, loadConfig } from '../config.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, writeOut } from '../io.js';
import { createRegistry } from '../parsers.js';

export interface ConvertFlags {
  me?: string[];
  tz?: string;
  output?: string;
  json?: boolean;
  dayFirst?: boolean;
  /** iMessage: a vCard or CSV file naming phone numbers and addresses. */
  contacts?: string;
  config?: string;
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

const MAX_WARNINGS_SHOWN = 20;

/**
 * `alterego convert <input…>`: any supported export to Conversation JSONL. Every input is
 * recognised before anything is written, so an unreadable input fails fast with nothing written;
 * a broken part inside an input is a warning (exit 3) and the rest is converted.
 */
export async function convert(inputs: string[], flags: ConvertFlags, io: CliIO): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const me = flags.me?.length ? flags.me : (envList(io.env.ALTEREGO_ME) ?? config.me ?? []);
  const timeZone = resolveTimeZone(
    // An empty variable (`ALTEREGO_TZ=`) counts as not set.
    flags.tz ?? (io.env.ALTEREGO_TZ || undefined) ?? config.timeZone ?? localTimeZone(),
  );
  const contacts = flags.contacts ?? (io.env.ALTEREGO_CONTACTS || undefined) ?? config.contacts;
  // Paths stay as the user typed them, so that messages and warnings name them that way; they are
  // joined to the working folder only when the command runs in another folder than the process.
  const resolve = (path: string) =>
    isAbsolute(path) || io.cwd === process.cwd() ? path : join(io.cwd, path);
  const registry = createRegistry({
    dayFirst: flags.dayFirst ?? config.dayFirst,
    contacts: contacts === undefined ? undefined : resolve(contacts),
  });
  const output = flags.output === undefined ? undefined : resolve(flags.output);
  if (output !== undefined) await checkOutput(output, flags.output as string);

  // Open and recognise every input first: an unsupported one stops the run before any output.
  const opened: InputSource[] = [];
  const matched: string[][] = [];
  try {
    for (const path of inputs) {
      const input = await openInput(resolve(path)).catch((error: unknown) => {
        // A path that is not there: say so, and what it should have been.
        throw ValidationError.isInstance(error)
          ? new CliError(
              `${error.message}. Expected a file, folder or zip of one of: ${registry.formats().join('; ')}`,
              ExitCode.usage,
              { cause: error },
            )
          : error;
      });
      opened.push(input);
      matched.push((await registry.match(input)).map((match) => match.parser.format));
    }
    const sources = groupParts(opened, inputs, matched);

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
        for await (const event of registry.parse(input, { me, timeZone, signal: io.signal })) {
          if (io.signal.aborted) throw new InterruptedError();
          if (!entry.formats.includes(event.format)) entry.formats.push(event.format);
          if (event.type === 'warning') {
            report.warnings.push(event.warning);
            continue;
          }
          entry.conversations += 1;
          entry.messages += event.conversation.messages.length;
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

    printReport(report, flags, io);
    return report.warnings.some((warning) => warning.skipped !== false)
      ? ExitCode.partial
      : ExitCode.ok;
  } finally {
    await Promise.all(opened.map((input) => input.close()));
  }
}

/** Formats whose exports come in several parts (zips) that hold pieces of the same threads. */
const MULTI_PART_FORMATS = new Set(['messenger']);

/**
 * The inputs to parse: as given, except that several inputs of one multi-part format (the zips
 * of one Facebook download) are read together, so that a thread split across them is one
 * conversation.
 */
export function groupParts(
  opened: readonly InputSource[],
  paths: readonly string[],
  formats: readonly string[][],
): { input: InputSource; path: string }[] {
  // Each group of parts takes the place of its first part.
  const slots: number[][] = [];
  const groups = new Map<string, number[]>();
  for (const [index, input] of opened.entries()) {
    const only = formats[index]!.length === 1 ? formats[index]![0]! : undefined;
    if (only === undefined || !MULTI_PART_FORMATS.has(only) || input.kind === 'file') {
      slots.push([index]);
      continue;
    }
    const group = groups.get(only);
    if (group) group.push(index);
    else {
      groups.set(only, [index]);
      slots.push(groups.get(only)!);
    }
  }
  return slots.map((indexes) => ({
    input:
      indexes.length === 1
        ? opened[indexes[0]!]!
        : combineInputs(indexes.map((index) => opened[index]!)),
    path: indexes.map((index) => paths[index] ?? opened[index]!.path).join(' + '),
  }));
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

function printReport(report: ConvertReport, flags: ConvertFlags, io: CliIO): void {
  if (flags.json) {
    // With -o the report is the command's result (stdout); without, stdout carries the JSONL.
    const target = report.output ? io.stdout : io.stderr;
    target.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const warning of report.warnings.slice(0, MAX_WARNINGS_SHOWN)) {
    const place = formatPlace(warning.file, warning.line, warning.column);
    const label = warning.skipped === false ? 'note' : 'warning';
    lines.push(`${label}: ${place}: ${warning.reason} [${warning.ruleId}]`);
  }
  if (report.warnings.length > MAX_WARNINGS_SHOWN) {
    lines.push(
      `… and ${report.warnings.length - MAX_WARNINGS_SHOWN} more warnings (use --json to see all)`,
    );
  }
  for (const input of report.inputs) {
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
