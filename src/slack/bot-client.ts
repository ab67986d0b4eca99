/** The Web API client the bot uses (any WebClient: the bot's own, or the CLI's). */
import type { webApi } from '@slack/bolt';

export type BotClient = webApi.WebClient;
