export { createWhatsAppParser, chatNameFromFileName, whatsapp, type WhatsAppParserOptions } from './whatsapp-parser.js';
export { inferDateOrder, type DateOrder, type DayOrderDecision, type RawDate } from './day-order.js';
export { parseHeader, type Header, type HeaderShape } from './header.js';
export {
  attachmentTypeOf,
  CALLS,
  DELETED,
  EDITED,
  EVENTS,
  FILE_ATTACHED,
  KIND_OMITTED,
  MEDIA_OMITTED,
  NOTICES,
  readBody,
  type BodyReading,
  type OmittedKind,
} from './markers.js';
