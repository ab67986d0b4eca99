/** Requests to the bot as Slack sends them: the test suite's signed slash-command form, with the bench's secret and token. */
import { signature } from '../../test/slack/helpers/signed-requests';

export { commandBody } from '../../test/slack/helpers/signed-requests';

export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const BENCH_BOT_TOKEN = 'xoxb-bench-token';

/** Headers of a signed request, timestamped now. */
export function signedHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signature(secret, ts, body),
  };
}
