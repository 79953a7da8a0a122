export { createDiscordParser, discord, type DiscordParserOptions } from './discord-parser.js';
