/**
 * The Web API client the bot and the CLI use: short retries, 429s handed back to the caller
 * (the thread reporter queues and retries them itself), and a health flag fed by every call.
 */
// The Web API client directly: importing it through Bolt's index would load Express and Socket Mode too.
import * as webApi from '@slack/web-api';
import type { Logger as SlackSdkLogger } from '@slack/bolt';
import type { Logger } from '../logger';

/** Whether the last Slack Web API call showed Slack reachable and our token valid. */
export class SlackHealth {
  private okFlag = false;
  private lastReason = 'no Slack API call yet';

  get ok(): boolean {
    return this.okFlag;
  }

  get reason(): string {
    return this.okFlag ? 'ok' : this.lastReason;
  }

  record(error: unknown): void {
    if (error === undefined) {
      this.okFlag = true;
      return;
    }
    const kind = classifySlackError(error);
    // A platform error such as channel_not_found still proves Slack answered with our token.
    if (kind === 'permanent' && !isAuthError(error)) {
      this.okFlag = true;
      return;
    }
    this.okFlag = kind === 'rate_limited';
    this.lastReason = `slack: ${slackErrorCode(error)}`;
  }
}

/** A WebClient that reports every call's outcome to a SlackHealth. */
export class TrackedWebClient extends webApi.WebClient {
  constructor(
    token: string | undefined,
    options: webApi.WebClientOptions,
    private readonly health: SlackHealth,
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      this.health.record(undefined);
      return result;
    } catch (e) {
      this.health.record(e);
      throw e;
    }
  }
}

export interface SlackClientOptions {
  token: string;
  /** Base URL of the Web API, ending in `/api/` (default Slack's). */
  slackApiUrl?: string;
  logger?: Logger;
  health?: SlackHealth;
}

/** Short retries: a deploy's Slack updates must never wait half an hour behind a stalled queue. */
export const SHORT_RETRY = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: false };

/** Builds the bot's WebClient. Never throws. */
export function createSlackWebClient(options: SlackClientOptions): TrackedWebClient {
  return new TrackedWebClient(
    options.token,
    {
      slackApiUrl: normaliseApiUrl(options.slackApiUrl),
      retryConfig: SHORT_RETRY,
      rejectRateLimitedCalls: true,
      timeout: 15_000,
      logger: options.logger ? toSlackLogger(options.logger) : undefined,
    },
    options.health ?? new SlackHealth(),
  );
}

/** `http://host/api` → `http://host/api/`; undefined stays undefined (Slack's own URL). */
export function normaliseApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

export type SlackErrorKind = 'rate_limited' | 'transient' | 'permanent';

const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** What a Slack SDK error may carry. Anything can be thrown, so the value itself may be null or undefined. */
type SlackErrorFields =
  { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number } | null | undefined;

/** Whether a failed call is worth retrying later, and how. */
export function classifySlackError(error: unknown): SlackErrorKind {
  const e = error as SlackErrorFields;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'rate_limited';
  if (e?.code === 'slack_webapi_http_error' || e?.code === 'slack_webapi_request_error') return 'transient';
  if (e?.code === 'slack_webapi_platform_error') {
    return TRANSIENT_PLATFORM_ERRORS.has(e.data?.error ?? '') ? 'transient' : 'permanent';
  }
  // Errors without a Slack code (e.g. "A rate limit was exceeded", aborted fetches) are worth another try.
  return 'transient';
}

/** Seconds Slack asked us to wait, when it did. */
function retryAfterMs(error: unknown): number | undefined {
  const s = (error as SlackErrorFields)?.retryAfter;
  return typeof s === 'number' && Number.isFinite(s) ? Math.max(0, s) * 1000 : undefined;
}

/** How long to wait before the `attempt`th retry: what Slack asked for, else doubling from `baseMs` up to 30 s. */
export function retryDelayMs(error: unknown, attempt: number, baseMs: number): number {
  const asked = retryAfterMs(error);
  if (asked !== undefined) return Math.max(asked, 100);
  return Math.min(baseMs * 2 ** (attempt - 1), 30_000);
}

/** A short code for logs and health: `channel_not_found`, `http 500`, `rate limited`. */
export function slackErrorCode(error: unknown): string {
  const e = error as SlackErrorFields;
  if (e?.code === 'slack_webapi_platform_error') return e.data?.error ?? 'platform error';
  if (e?.code === 'slack_webapi_http_error') return `http ${e.statusCode ?? '?'}`;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'rate limited';
  if (e?.code === 'slack_webapi_request_error') return 'unreachable';
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}

export function isAuthError(error: unknown): boolean {
  const e = error as SlackErrorFields;
  return e?.code === 'slack_webapi_platform_error' && AUTH_ERRORS.has(e.data?.error ?? '');
}

/** Adapts pino to the logger interface of the Slack SDKs. */
export function toSlackLogger(logger: Logger): SlackSdkLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let level = 'info';
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  } as unknown as SlackSdkLogger;
}
