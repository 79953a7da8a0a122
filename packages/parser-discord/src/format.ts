/** The stable format id of this parser, used in `source.format` and in warnings. */
export const FORMAT = 'discord';

/** What a DiscordChatExporter export looks like, for error messages. */
export const EXPECTED =
  'expected a DiscordChatExporter JSON export ({"guild": {...}, "channel": {...}, "messages": [...]})';
