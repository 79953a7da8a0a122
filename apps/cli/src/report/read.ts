import type { ParseWarning } from '@alterego/core';
import { InterruptedError } from '../cli-error.js';
import { type InputSettings, openInputs } from '../inputs.js';
import type { CliIO } from '../io.js';
import { countingInput, inputBytes, NO_PROGRESS, type Progress } from '../progress.js';
import { StatsCollector } from './collect.js';

/**
 * Reads every input into a StatsCollector, one conversation at a time, with the progress line on
 * a terminal. Inputs are all recognised before any is read.
 */
export async function collectInputs(
  paths: readonly string[],
  settings: InputSettings,
  io: CliIO,
  progress: Progress,
): Promise<{ collector: StatsCollector; warnings: ParseWarning[] }> {
  const { me, timeZone, registry } = settings;
  const collector = new StatsCollector(timeZone);
  const warnings: ParseWarning[] = [];
  const { sources, close } = await openInputs(paths, settings);
  try {
    for (const { input, path } of sources) {
      collector.source(path);
      progress.begin(path, await inputBytes(input));
      const counted =
        progress === NO_PROGRESS ? input : countingInput(input, (bytes) => progress.bytes(bytes));
      for await (const event of registry.parse(counted, { me, timeZone, signal: io.signal })) {
        if (io.signal.aborted) throw new InterruptedError();
        progress.format(event.format);
        if (event.type === 'warning') {
          warnings.push(event.warning);
          continue;
        }
        collector.add(event.conversation, path, event.format);
        progress.messages(event.conversation.messages.length);
      }
      if (io.signal.aborted) throw new InterruptedError();
    }
  } finally {
    progress.done();
    await close();
  }
  return { collector, warnings };
}
