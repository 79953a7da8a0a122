import { ExitCode } from './exit-codes.js';
import { run } from './program.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  // First Ctrl-C: stop cleanly (no half-written files). Second: leave at once.
  if (interrupts > 1) process.exit(ExitCode.interrupted);
  controller.abort();
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `alterego convert … | head` closes the pipe early: that is not a failure.
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  throw error;
});

const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = controller.signal.aborted ? ExitCode.interrupted : code;
