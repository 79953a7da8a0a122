export { createTelegramParser, telegram, type TelegramParserOptions } from './telegram-parser.js';
