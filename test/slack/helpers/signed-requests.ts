/** Requests to the bot as Slack sends them: signed `v0:timestamp:body` with HMAC-SHA256. */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostOptions {
  secret?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Overrides the computed signature (to forge one). */
  signature?: string;
  /** Extra headers, e.g. Slack's `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export async function postSigned(
  port: number,
  body: string,
  contentType: string,
  options: PostOptions = {},
): Promise<{ status: number; text: string }> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': options.signature ?? signature(options.secret ?? SIGNING_SECRET, ts, body),
      ...options.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

let triggers = 0;

/** Slack gives every command and click its own trigger_id (a retry keeps it). */
function triggerId(): string {
  triggers += 1;
  return `${Date.now()}.${triggers}.trigger`;
}

export function commandBody(fields: {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  response_url: string;
  /** Another workspace (default T1, the installed one). */
  team_id?: string;
  enterprise_id?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'example',
    channel_name: 'deploys',
    user_name: fields.user_id.toLowerCase(),
    api_app_id: 'A1',
    trigger_id: triggerId(),
    ...fields,
  }).toString();
}

export interface ClickFields {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  messageTs?: string;
  blockId?: string;
  blocks?: unknown[];
  responseUrl: string;
  ephemeral?: boolean;
  /** The request's workspace (default T1, the installed one) and the clicker's own. */
  teamId?: string;
  userTeamId?: string;
}

export function actionBody(f: ClickFields): string {
  const payload = {
    type: 'block_actions',
    team: { id: f.teamId ?? 'T1', domain: 'example' },
    user: { id: f.userId, username: f.userId.toLowerCase(), team_id: f.userTeamId ?? f.teamId ?? 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: triggerId(),
    container: {
      type: 'message',
      message_ts: f.messageTs ?? '1.1',
      channel_id: f.channelId,
      is_ephemeral: f.ephemeral ?? false,
    },
    channel: { id: f.channelId, name: 'deploys' },
    message: { type: 'message', ts: f.messageTs ?? '1.1', text: '', blocks: f.blocks ?? [] },
    response_url: f.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: f.actionId,
        block_id: f.blockId ?? 'b1',
        value: f.value,
        action_ts: String(Date.now() / 1000),
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 10)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    event,
  });
}
