/**
 * No replays over HTTP. Bolt verifies a request's signature and refuses stale timestamps, but it
 * would run the same signed request twice, accepts timestamps from the future, and runs Slack's
 * own retries (`X-Slack-Retry-Num`) of a request it already handled. Here:
 * - a request whose timestamp is more than 5 minutes ahead is refused with 401, like a stale one;
 * - after Bolt's verification, each delivery is remembered for longer than Slack's 5-minute window
 *   by its signature and timestamp, and by what a retry re-signed with a new timestamp keeps: an
 *   event's `event_id`, a command's or click's `trigger_id`. A second delivery runs nothing and is
 *   answered as the first one was (the same acknowledgement body), not with a "busy" refusal.
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
/** How long a second delivery waits for the first one's answer: under Slack's 3 s. */
const ANSWER_WAIT_MS = 2000;

/** A bounded map of keys to what their first delivery left, forgetting each one after `ttlMs`. */
export class SeenRequests<V = unknown> {
  private readonly seenAt = new Map<string, { at: number; value: V | undefined }>();

  constructor(
    private readonly ttlMs = REMEMBER_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers every key (with `value`, or the earlier delivery's); says whether one was seen before, and what it left. */
  check(keys: string[], value?: V): { seen: false } | { seen: true; value: V | undefined } {
    const now = this.now();
    this.forgetOld(now);
    const earlier = keys.map((k) => this.seenAt.get(k)).find((e) => e !== undefined);
    const kept = earlier ? earlier.value : value;
    for (const k of keys) if (!this.seenAt.has(k)) this.seenAt.set(k, { at: now, value: kept });
    // Full (a flood): the oldest entries go first, still well inside the timestamp window mostly.
    for (const key of this.seenAt.keys()) {
      if (this.seenAt.size <= this.maxEntries) break;
      this.seenAt.delete(key);
    }
    return earlier ? { seen: true, value: earlier.value } : { seen: false };
  }

  /** Remembers every key; true when one of them was seen before. */
  seenBefore(keys: string[]): boolean {
    return this.check(keys).seen;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private forgetOld(now: number): void {
    // Insertion order is time order: stop at the first fresh entry.
    for (const [key, entry] of this.seenAt) {
      if (now - entry.at < this.ttlMs) break;
      this.seenAt.delete(key);
    }
  }
}

/** What a delivery was answered: the acknowledgement's body, as written. */
export interface Answer {
  body: string;
}

/** The context keys carrying a verified HTTP request's signature with its timestamp, and its answer to come. */
const SIGNATURE_KEY = 'signatureKey';
const ANSWER_KEY = 'deliveryAnswer';

export interface ReplayGuardOptions {
  now?: () => number;
  logger: Logger;
}

/**
 * Bolt's HTTP receiver with the future-timestamp refusal. It hands each request's signature, and
 * the answer its acknowledgement writes, to `skipRedeliveries`.
 */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(options: HTTPReceiverOptions, guard: ReplayGuardOptions) {
    const now = guard.now ?? Date.now;
    const answers = new WeakMap<IncomingMessage, Promise<Answer>>();
    // Runs only for requests whose signature Bolt has verified (Bolt buffers the same request object).
    super({
      ...options,
      customPropertiesExtractor: (req) => ({
        [SIGNATURE_KEY]: `sig:${header(req, 'x-slack-request-timestamp') ?? ''}:${header(req, 'x-slack-signature') ?? ''}`,
        [ANSWER_KEY]: answers.get(req),
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
      answers.set(req, answerOf(res));
      verifyAndRun(req, res);
    };
  }
}

/** Resolves with what `res` is ended with. */
function answerOf(res: ServerResponse): Promise<Answer> {
  return new Promise((resolve) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const [chunk] = args;
      const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk.toString() : '';
      resolve({ body });
      return end(...args);
    }) as ServerResponse['end'];
  });
}

/** What identifies a delivery, and a retry of it re-signed with a new timestamp. */
function deliveryKeys(signature: string, body: Record<string, unknown>): string[] {
  const keys = [signature];
  if (typeof body.event_id === 'string' && body.event_id) keys.push(`event:${body.event_id}`);
  if (typeof body.trigger_id === 'string' && body.trigger_id) keys.push(`trigger:${body.trigger_id}`);
  return keys;
}

/** The first delivery's answer, given again; nothing when it is not known within ANSWER_WAIT_MS. */
async function sameAnswer(answer: Promise<Answer> | undefined): Promise<unknown> {
  if (!answer) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ANSWER_WAIT_MS)));
  const first = await Promise.race([answer, waited]).finally(() => clearTimeout(timer));
  if (!first?.body) return undefined;
  // Bolt writes an object acknowledgement as JSON, a string as it is.
  if (!first.body.startsWith('{')) return first.body;
  try {
    return JSON.parse(first.body) as unknown;
  } catch {
    // Text that only looked like JSON: given back as it was.
    return first.body;
  }
}

/**
 * Global middleware: a request delivered before is acknowledged as it was the first time, and goes
 * no further. A replay is answered 200, not 401: Slack retries any non-2xx, so its own retries must
 * see success.
 */
export function skipRedeliveries(
  logger: Logger,
  seen = new SeenRequests<Promise<Answer>>(),
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const signature = args.context[SIGNATURE_KEY] as string | undefined;
    // Only GuardedHTTPReceiver sets it: Socket Mode deliveries are not checked.
    if (!signature) return args.next();
    const answer = args.context[ANSWER_KEY] as Promise<Answer> | undefined;
    const earlier = seen.check(deliveryKeys(signature, args.body as unknown as Record<string, unknown>), answer);
    if (!earlier.seen) return args.next();
    const retry = args.context.retryNum;
    logger.warn(
      { delivery: retry === undefined ? 'replay' : `retry ${retry}`, type: args.body.type },
      'request delivered before: acknowledged as the first time, not run again',
    );
    if (!('ack' in args) || typeof args.ack !== 'function') return;
    const ack = args.ack as (response?: unknown) => Promise<void>;
    await ack(await sameAnswer(earlier.value));
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
