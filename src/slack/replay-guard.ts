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
import type { BufferedIncomingMessage } from '@slack/bolt/dist/receivers/BufferedIncomingMessage';
import type { Logger } from '../logger';

/** Slack's window for a request's timestamp, either way. */
export const MAX_CLOCK_SKEW_S = 5 * 60;
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
    while (this.seenAt.size > this.maxEntries) this.seenAt.delete(this.seenAt.keys().next().value as string);
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

/** The context key set on a request delivered before. */
export const DELIVERED_BEFORE = 'deliveredBefore';

export interface ReplayGuardOptions {
  seen?: SeenRequests;
  now?: () => number;
  logger: Logger;
}

/** Bolt's HTTP receiver with the future-timestamp refusal and the delivery memory. */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(options: HTTPReceiverOptions, guard: ReplayGuardOptions) {
    const seen = guard.seen ?? new SeenRequests();
    const now = guard.now ?? Date.now;
    // Runs only for requests whose signature Bolt has verified.
    super({ ...options, customPropertiesExtractor: (req) => (seen.seenBefore(deliveryKeys(req)) ? { [DELIVERED_BEFORE]: retryNum(req) ?? 'replay' } : {}) });
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
 * Global middleware: a request delivered before is acknowledged and goes no further.
 * A replay is answered 200, not 401: Slack retries any non-2xx, so its own retries must see success.
 */
export function skipRedeliveries(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const before = args.context[DELIVERED_BEFORE] as string | undefined;
    if (!before) return args.next();
    logger.warn({ delivery: before === 'replay' ? 'replay' : `retry ${before}`, type: args.body.type }, 'request delivered before: acknowledged, not run again');
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}

/** What identifies one delivery: its signature with timestamp, and an event's id across Slack's retries. */
function deliveryKeys(req: BufferedIncomingMessage): string[] {
  const keys = [`sig:${header(req, 'x-slack-request-timestamp')}:${header(req, 'x-slack-signature')}`];
  const eventId = eventIdOf(req);
  if (eventId) keys.push(`event:${eventId}`);
  return keys;
}

function eventIdOf(req: BufferedIncomingMessage): string | undefined {
  if (!/json/.test(header(req, 'content-type') ?? '')) return undefined;
  try {
    const id = (JSON.parse(req.rawBody.toString()) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function retryNum(req: IncomingMessage): string | undefined {
  return header(req, 'x-slack-retry-num');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
