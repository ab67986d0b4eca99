/** Requests to the bot as Slack sends them: a slash-command form, signed `v0:timestamp:body` with HMAC-SHA256. */
import { createHmac } from 'node:crypto';

export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const BENCH_BOT_TOKEN = 'xoxb-bench-token';

/** Slack's request signature for `body` sent at `timestamp` (Unix seconds). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommand {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
}

/** The form body Slack posts for a slash command. */
export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'bench',
    channel_id: c.channelId,
    channel_name: 'deploys',
    user_id: c.userId,
    user_name: c.userId.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: 'A1',
    response_url: c.responseUrl,
    trigger_id: 'trigger',
  }).toString();
}

/** Headers of a signed request, timestamped now. */
export function signedHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': slackSignature(secret, ts, body),
  };
}
