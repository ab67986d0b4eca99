/**
 * Posting to a command's `response_url` over a shared keep-alive connection pool. Bolt's own
 * `respond` goes through `fetch`, which costs several times the CPU of a plain undici request;
 * under a burst of commands that CPU delays the acks of the commands behind.
 */
import { Agent, request } from 'undici';
import { CodedError, ErrorCodes } from '../errors';

const MAX_ANSWER_BYTES = 64 * 1024;

/** Shared by every answer: response URLs of one workspace live on one host. */
const pool = new Agent({ keepAliveTimeout: 10_000, connections: 64, headersTimeout: 10_000, bodyTimeout: 10_000 });

/**
 * Posts `message` (Slack's respond arguments) to `responseUrl`.
 * @throws CodedError `slack_respond_error` when the URL does not answer 2xx or cannot be reached.
 */
export async function respondTo(responseUrl: string, message: Record<string, unknown>): Promise<void> {
  let status: number;
  try {
    const res = await request(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      dispatcher: pool,
    });
    status = res.statusCode;
    await drain(res.body);
  } catch (e) {
    throw new CodedError(ErrorCodes.slackRespondError, `cannot reach the response_url: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (status < 200 || status >= 300)
    throw new CodedError(ErrorCodes.slackRespondError, `the response_url answered HTTP ${status}`);
}

/** Reads (and forgets) a bounded answer, so the connection can be reused. */
async function drain(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<void> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      return;
    }
  }
}
