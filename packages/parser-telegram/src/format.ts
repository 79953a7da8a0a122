/** The stable format id of this parser, used in `source.format` and in warnings. */
export const FORMAT = 'telegram';

/** What a Telegram export looks like, for error messages. */
export const EXPECTED =
  'expected a Telegram Desktop JSON export: a chat\'s result.json ({"name", "type", "id", "messages": [...]}) or the whole-account result.json ({"personal_information", "chats": {"list": [...]}})';
