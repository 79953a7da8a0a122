// Follows a job and prints each event id as it is shown, until killed.
// Usage: follow-child.ts <ledger path> <base URL> <job id>
import { createOpenAIProvider, openLedger } from '../index.js';

const [ledgerPath, baseURL, jobId] = process.argv.slice(2) as [string, string, string];
const ledger = openLedger(ledgerPath);
const provider = createOpenAIProvider({ apiKey: 'sk-test', baseURL, ledger, pollIntervalMs: 1 });
for await (const item of provider.events(jobId)) {
  if (item.type === 'event') process.stdout.write(`${item.event.id}\n`);
}
ledger.close();
