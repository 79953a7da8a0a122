export { createTwitterParser, twitter, type TwitterParserOptions } from './twitter-parser.js';
