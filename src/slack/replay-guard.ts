/**
 * No replays over HTTP. Bolt verifies a request's signature and refuses stale timestamps, but it
 * would run the same signed request twice, accepts timestamps from the future, and runs Slack's
 * own retries (`X-Slack-Retry-Num`) of an event it already handled. Here:
 * - a request whose timestamp is more than 5 minutes ahead is refused with 401, like a stale one;
 * - after Bolt's verification, each delivery is remembered by its signature and timestamp (and an
 *   event by its `event_id`) for longer than Slack's 5-minute window; a second delivery is
 *   acknowledged with 200 and nothing runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import HTTPReceiver, { type HTTPReceiverOptions } from '@slack/bolt/dist/receivers/HTTPReceiver';
import type { Logger } from '../logger';

/** Slack's window for a request's timestamp, either way. */
const MAX_CLOCK_SKEW_S = 5 * 60;
/** Longer than the window, so a replay cannot outlive its entry. */
const REMEMBER_MS = 10 * 60_000;
const MAX_ENTRIES = 50_000;

/** A bounded set of keys that forgets each one after `ttlMs`. */
export class SeenRequests {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly ttlMs = REMEMBER_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers every key; true when one of them was seen before. */
  seenBefore(keys: string[]): boolean {
    const now = this.now();
    this.forgetOld(now);
    const seen = keys.some((k) => this.seenAt.has(k));
    for (const k of keys) if (!this.seenAt.has(k)) this.seenAt.set(k, now);
    // Full (a flood): the oldest entries go first, still well inside the timestamp window mostly.
    for (const oldest of this.seenAt.keys()) {
      if (this.seenAt.size <= this.maxEntries) break;
      this.seenAt.delete(oldest);
    }
    return seen;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private forgetOld(now: number): void {
    // Insertion order is time order: stop at the first fresh entry.
    for (const [key, at] of this.seenAt) {
      if (now - at < this.ttlMs) break;
      this.seenAt.delete(key);
    }
  }
}

/** The context key carrying a verified HTTP request's signature with its timestamp. */
const SIGNATURE_KEY = 'signatureKey';

export interface ReplayGuardOptions {
  now?: () => number;
  logger: Logger;
}

/** Bolt's HTTP receiver with the future-timestamp refusal; it hands each request's signature to `skipRedeliveries`. */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(options: HTTPReceiverOptions, guard: ReplayGuardOptions) {
    const now = guard.now ?? Date.now;
    // Runs only for requests whose signature Bolt has verified.
    super({
      ...options,
      customPropertiesExtractor: (req) => ({
        // Bolt verified both headers before this runs, so neither is missing here.
        [SIGNATURE_KEY]: `sig:${header(req, 'x-slack-request-timestamp') ?? ''}:${header(req, 'x-slack-signature') ?? ''}`,
      }),
    });
    const verifyAndRun = this.requestListener;
    this.requestListener = (req: IncomingMessage, res: ServerResponse): void => {
      const ts = Number(header(req, 'x-slack-request-timestamp'));
      if (Number.isFinite(ts) && ts - Math.floor(now() / 1000) > MAX_CLOCK_SKEW_S) {
        guard.logger.warn({ timestamp: ts, path: req.url }, 'request refused: timestamp in the future');
        res.writeHead(401).end();
        return;
      }
      verifyAndRun(req, res);
    };
  }
}

/**
 * Global middleware: a request delivered before is acknowledged and goes no further. A delivery is
 * known by its signature with timestamp, and an event also by its `event_id` across Slack's retries.
 * A replay is answered 200, not 401: Slack retries any non-2xx, so its own retries must see success.
 */
export function skipRedeliveries(logger: Logger, seen = new SeenRequests()): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const signature = args.context[SIGNATURE_KEY] as string | undefined;
    // Only GuardedHTTPReceiver sets it: Socket Mode deliveries are not checked.
    if (!signature) return args.next();
    const eventId = (args.body as { event_id?: unknown }).event_id;
    const keys = typeof eventId === 'string' && eventId ? [signature, `event:${eventId}`] : [signature];
    if (!seen.seenBefore(keys)) return args.next();
    const retry = args.context.retryNum;
    logger.warn(
      { delivery: retry === undefined ? 'replay' : `retry ${retry}`, type: args.body.type },
      'request delivered before: acknowledged, not run again',
    );
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
