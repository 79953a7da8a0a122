import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { exitCodeFor, formatError } from './cli-error.js';
import { registerBuildCommand } from './commands/build.js';
import { registerChatCommand } from './commands/chat.js';
import { convert } from './commands/convert.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerFinetuneCommands } from './commands/finetune.js';
import { registerInitCommand } from './commands/init.js';
import { registerReportCommand } from './commands/report.js';
import { registerStatsCommand } from './commands/stats.js';
import { registerValidateCommand } from './commands/validate.js';
import { ExitCode } from './exit-codes.js';
import { type CliIO, commandOutput } from './io.js';
import { addInputOptions, inputFlags } from './inputs.js';
import { createRegistry } from './parsers.js';

export const VERSION: string = packageJson.version;

function buildProgram(io: CliIO, setResult: (code: number) => void): Command {
  const program = new Command('alterego')
    .description('Turn your own chat history into a model that texts like you.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces on errors')
    .option('--config <file>', 'settings file (default: ./alterego.config.json)')
    .configureOutput(commandOutput(io, 'alterego'))
    .exitOverride();

  program.addHelpText(
    'after',
    `
Examples:
  $ alterego convert "WhatsApp Chat with Alex.txt" --me "Sam Rivera" -o conversations.jsonl
  $ alterego convert ~/Downloads/exports --tz Europe/Berlin > conversations.jsonl

Exit codes: 0 ok, 1 failure, 2 bad usage or unreadable input, 3 partial (parts skipped),
4 missing key or config, 5 remote API error, 130 interrupted.
Settings: flags, then ALTEREGO_* environment variables, then alterego.config.json.`,
  );

  addInputOptions(
    program
      .command('convert')
      .summary('any supported chat export → Conversation JSONL')
      .description(
        'Reads chat exports (files, folders or zips; the format is recognised from the content) and writes one Conversation per line (JSONL) to stdout or to --output.',
      )
      .configureOutput(commandOutput(io, 'alterego convert'))
      .argument(
        '[input...]',
        'export files, folders or zips (default: "inputs" in the config file)',
      ),
  )
    .option('-o, --output <file>', 'write the JSONL here (atomically) instead of stdout')
    .option('--json', 'print the report as JSON (stdout with --output, stderr otherwise)')
    .addHelpText(
      'after',
      () => `
Supported formats:
${createRegistry()
  .formats()
  .map((format) => `  - ${format}`)
  .join('\n')}

Examples:
  $ alterego convert "WhatsApp Chat - Alex.zip" --me "Sam Rivera" -o conversations.jsonl
  $ alterego convert chats/ --tz America/New_York --json -o all.jsonl`,
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const global = program.opts<{ config?: string }>();
      setResult(
        await convert(
          inputs,
          {
            ...inputFlags(options, global.config),
            output: options.output as string | undefined,
            json: Boolean(options.json),
          },
          io,
        ),
      );
    });

  registerInitCommand(program, io, setResult);
  registerBuildCommand(program, io, setResult);
  registerValidateCommand(program, io, setResult);
  registerStatsCommand(program, io, setResult);
  registerReportCommand(program, io, setResult);
  registerFinetuneCommands(program, io, setResult);
  registerChatCommand(program, io, setResult);
  registerEvalCommand(program, io, setResult);

  return program;
}

/** Runs the command line and returns the exit code. Never calls process.exit. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let result: number = ExitCode.ok;
  const program = buildProgram(io, (code) => {
    result = code;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and `help` end with 0; usage errors, and help shown because no command
      // was given, with 1. Commander has already written what the user needs.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    io.stderr.write(`${formatError(error, debug)}\n`);
    return exitCodeFor(error);
  }
}
