/**
 * Following a service's logs: CloudWatch's live tail where the endpoint and role allow it,
 * otherwise polling FilterLogEvents every 2 s from the moment the tail began (said once).
 */
import type { NamedService } from '../config/schema';
import type { TailItem, TailRequest } from './api';
import { invalidInput } from './change/results';
import type { EngineContext } from './context';
import type { LogEvent } from './types';

/** How often the fallback asks FilterLogEvents. */
export const POLL_MS = 2000;
/** Lines reach CloudWatch late: each poll looks this far behind the newest line it saw. */
const LATE_MS = 10_000;
/** The most lines one poll asks for. */
const POLL_MAX_EVENTS = 500;

/** Yields the service's matching lines as they arrive until `req.signal` aborts. */
export async function* tailLogs(ctx: EngineContext, svc: NamedService, req: TailRequest): AsyncGenerator<TailItem> {
  if (!svc.logGroup) throw invalidInput(`${svc.name} has no logGroup configured`);
  const pattern = req.pattern ?? svc.logs.errorPattern;
  const query = { logGroup: svc.logGroup, pattern };
  const since = ctx.clock.now();
  const opening = await ctx.logs.openLiveTail(svc.region, query, req.signal);
  let reason: string;
  if (opening.ok) {
    yield { kind: 'started', mode: 'live', pattern, logGroup: svc.logGroup };
    try {
      for await (const events of opening.batches) {
        if (events.length) yield { kind: 'lines', events };
      }
      return;
    } catch (e) {
      if (req.signal.aborted) return;
      reason = `the live tail broke off: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200);
      ctx.logger.warn({ err: e, service: svc.name }, 'live tail broke off; polling instead');
    }
  } else {
    reason = opening.reason;
    yield { kind: 'started', mode: 'polling', pattern, logGroup: svc.logGroup };
  }
  if (req.signal.aborted) return;
  yield { kind: 'polling', reason, everyMs: POLL_MS };
  yield* poll(ctx, svc, { ...query, since }, req.signal);
}

/** FilterLogEvents every POLL_MS from `since`, each line once (by event id). */
async function* poll(
  ctx: EngineContext,
  svc: NamedService,
  q: { logGroup: string; pattern: string; since: number },
  signal: AbortSignal,
): AsyncGenerator<TailItem> {
  const seen = new Map<string, number>();
  let newest = q.since;
  while (!signal.aborted) {
    const from = Math.max(q.since, newest - LATE_MS);
    const r = await ctx.logs.filterLogEvents(svc.region, {
      logGroup: q.logGroup,
      since: from,
      pattern: q.pattern,
      maxEvents: POLL_MAX_EVENTS,
    });
    const fresh = r.events.filter((e) => !seen.has(keyOf(e)));
    // A line stamped in the future (a skewed clock) must not move the window past the lines to come.
    const now = ctx.clock.now();
    for (const e of fresh) {
      seen.set(keyOf(e), e.timestamp.getTime());
      newest = Math.max(newest, Math.min(e.timestamp.getTime(), now));
    }
    // Lines older than the next poll's window can never come back: forget them.
    for (const [key, at] of seen) if (at < newest - LATE_MS) seen.delete(key);
    if (fresh.length) yield { kind: 'lines', events: sortByTime(fresh) };
    await ctx.clock.sleep(POLL_MS, signal);
  }
}

function keyOf(e: LogEvent): string {
  return e.eventId ?? `${String(e.timestamp.getTime())} ${e.logStream ?? ''} ${e.message}`;
}

function sortByTime(events: LogEvent[]): LogEvent[] {
  return [...events].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}
