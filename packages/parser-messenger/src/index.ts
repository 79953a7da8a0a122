export {
  createMessengerParser,
  messenger,
  type MessengerParserOptions,
} from './messenger-parser.js';
export { mergeConversations } from './merge.js';
export { repairMojibake } from './mojibake.js';
