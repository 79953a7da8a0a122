export {
  chatNameFromFileName,
  createWhatsAppParser,
  whatsapp,
  type WhatsAppParserOptions,
} from './whatsapp-parser.js';
