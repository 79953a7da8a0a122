export {
  startOpenAIEmulator,
  type EmulatorRequest,
  type OpenAIEmulator,
  type OpenAIEmulatorOptions,
} from './server.js';
export type { EmulatorFault, EmulatorRoute, JobFailure } from './faults.js';
