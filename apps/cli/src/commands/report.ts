import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@alterego/core';
import { type Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import {
  addInputOptions,
  configPath,
  inputFlags,
  inputSettings,
  type InputFlags,
  warningLines,
} from '../inputs.js';
import { type CliIO, commandOutput, writeOut } from '../io.js';
import { createProgress } from '../progress.js';
import { type DatasetSection, readDatasetSection, type ReportData } from '../report/data.js';
import { renderReport } from '../report/html.js';
import { collectInputs } from '../report/read.js';
import { wholeNumber } from '../options.js';

export { ReportDataSchema, type ReportData } from '../report/data.js';

export interface ReportFlags extends InputFlags {
  /** The dataset folder whose manifest.json the page shows (default: `dataset` in the config). */
  dataset?: string;
  /** The page (default report.html). */
  output?: string;
  open?: boolean;
  json?: boolean;
  /** How many chats the page lists (default 12). */
  top?: number;
}

/**
 * `alterego report [input…|--dataset DIR]`: one HTML page about the exports (and the dataset
 * built from them), self-contained, written atomically.
 */
export async function report(given: string[], flags: ReportFlags, io: CliIO): Promise<number> {
  const settings = await inputSettings(flags, io);
  const { resolve } = settings;
  const inputs =
    given.length > 0
      ? given
      : (settings.config.inputs ?? []).map((path) => configPath(path, settings, io.cwd));
  let dataset: DatasetSection | undefined;
  if (flags.dataset !== undefined) {
    dataset = await readDatasetSection(resolve(flags.dataset), flags.dataset);
  } else if (settings.config.dataset !== undefined) {
    // The configured dataset is shown when it has been built.
    const shown = configPath(settings.config.dataset, settings, io.cwd);
    const built = await stat(join(resolve(shown), 'manifest.json')).catch(() => undefined);
    if (built) dataset = await readDatasetSection(resolve(shown), shown);
  }
  if (inputs.length === 0 && !dataset) {
    throw new CliError(
      'nothing to report on: give export files or folders, or --dataset DIR (or "inputs" in alterego.config.json) (see "alterego report --help")',
      ExitCode.usage,
    );
  }
  const output = flags.output ?? 'report.html';
  const target = resolve(output);
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) {
    throw new CliError(
      `${output}: is a folder; give --output a file path such as ${join(output, 'report.html')}`,
      ExitCode.usage,
    );
  }

  const data: ReportData = {
    title: settings.me[0] ?? 'Your chats',
    timeZone: settings.timeZone,
    inputs,
    totals: null,
    sources: [],
    topChats: [],
    activity: null,
    dataset: dataset ?? null,
  };
  let warnings: Awaited<ReturnType<typeof collectInputs>>['warnings'] = [];
  if (inputs.length > 0) {
    const collected = await collectInputs(inputs, settings, io, createProgress(io, flags.json));
    warnings = collected.warnings;
    const stats = collected.collector.stats();
    data.title = settings.me[0] ?? collected.collector.selfName() ?? data.title;
    data.totals = stats.totals;
    data.sources = stats.sources;
    data.topChats = stats.chats.slice(0, flags.top ?? 12);
    data.activity = collected.collector.activity();
  }

  await writeFileAtomic(target, renderReport(data, packageJson.version));
  const notes = warningLines(warnings);
  if (flags.json) {
    if (notes.length > 0) io.stderr.write(`${notes.join('\n')}\n`);
    await writeOut(io.stdout, `${JSON.stringify(data, null, 2)}\n`);
  } else {
    notes.push(`wrote ${output}${flags.open ? '' : ' (open it in a browser, or add --open)'}`);
    io.stderr.write(`${notes.join('\n')}\n`);
  }
  if (flags.open) openInBrowser(target, io);
  return warnings.some((warning) => warning.skipped !== false) ? ExitCode.partial : ExitCode.ok;
}

/** Opens a file with the system's default program; a failure is a note, not an error. */
function openInBrowser(path: string, io: CliIO): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [path]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', path]]
        : ['xdg-open', [path]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => io.stderr.write(`note: could not open ${path}; open it yourself\n`));
    child.unref();
  } catch {
    io.stderr.write(`note: could not open ${path}; open it yourself\n`);
  }
}

/** Adds `alterego report` to the program. */
export function registerReportCommand(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
): Command {
  return addInputOptions(
    program
      .command('report')
      .summary('one HTML page about your chats and your training data')
      .description(
        'Writes one self-contained HTML page (no scripts, nothing loaded from the internet, light and dark): messages per month per platform, how long your messages are, when you text, your top chats, and, for a dataset folder, what was filtered and redacted, tokens and cost.',
      )
      .configureOutput(commandOutput(io, 'alterego report'))
      .argument(
        '[input...]',
        'export files, folders or zips (default: "inputs" in the config file)',
      ),
    "IANA time zone for months and hours (default: this machine's zone)",
  )
    .option(
      '--dataset <dir>',
      'a folder written by "alterego build": show its manifest (default: "dataset" in the config file, when built)',
    )
    .option('-o, --output <file>', 'the page to write (default report.html)')
    .option('--open', 'open the page in the default browser')
    .addOption(
      new Option('--top <n>', 'how many chats the page lists (default 12)').argParser(
        wholeNumber('--top', 1),
      ),
    )
    .option('--json', 'also print the data behind the page as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ alterego report exports/ --me "Sam Rivera" --open
  $ alterego report exports/ --dataset dataset -o sam.html
  $ alterego report --json > report.json       (inputs and dataset from alterego.config.json)`,
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const global = program.opts<{ config?: string }>();
      setResult(
        await report(
          inputs,
          {
            ...inputFlags(options, global.config),
            dataset: options.dataset as string | undefined,
            output: options.output as string | undefined,
            open: Boolean(options.open),
            json: Boolean(options.json),
            top: options.top as number | undefined,
          },
          io,
        ),
      );
    });
}
