export { createIMessageParser, imessage, type IMessageParserOptions } from './imessage-parser.js';
export {
  decodeAttributedBody,
  type AttributeValue,
  type AttributedBody,
  type AttributedRun,
} from './attributed-body.js';
export { TypedStreamError } from './typedstream.js';
export { appleTimeToIso } from './apple-time.js';
export {
  createContactBook,
  loadContacts,
  parseContactsCsv,
  parseVCard,
  type Contact,
  type ContactBook,
} from './contacts.js';
export { createIMessageTxtParser, imessageTxt } from './exporter-txt.js';
