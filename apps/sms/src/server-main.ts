import { parseArgs } from 'node:util';
import { loadSmsConfig, SmsConfigError, SMS_CONFIG_FILE, EXIT_BAD_CONFIG } from './config.js';
import { createSmsServer } from './server.js';

const USAGE = `usage: alterego-sms [--config FILE]

Serves your alter ego over SMS: the Twilio Messaging webhook is POST <publicUrl>/sms.
Settings come from ${SMS_CONFIG_FILE} (or --config FILE) and the environment:
TWILIO_AUTH_TOKEN (required), TWILIO_ACCOUNT_SID, OPENAI_API_KEY, ALTEREGO_SMS_*.`;

/** Starts the server; resolves with the exit code once it has stopped. */
async function main(argv: string[]): Promise<number> {
  let values: { config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`alterego-sms: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT_BAD_CONFIG;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = await loadSmsConfig(values.config);
  const app = await createSmsServer(config);

  let stopping = false;
  const stopped = new Promise<void>((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C does not wait.
        process.exit(130);
      }
      stopping = true;
      app.log.info({ event: 'stopping', signal }, 'finishing the requests in flight');
      app.close().then(resolve, reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      event: 'listening',
      address,
      webhook: `${config.publicUrl ?? '<forwarded URL>'}${config.path}`,
    },
    "set the webhook URL as the number's Messaging webhook, HTTP POST",
  );
  await stopped;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SmsConfigError) {
      process.stderr.write(`alterego-sms: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    const code = (error as NodeJS.ErrnoException).code;
    const kind = (error as { kind?: unknown }).kind;
    process.stderr.write(
      `alterego-sms: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    const usage =
      code === 'EADDRINUSE' || code === 'EACCES' || kind === 'config' || kind === 'no-data';
    process.exit(usage ? EXIT_BAD_CONFIG : 1);
  },
);
