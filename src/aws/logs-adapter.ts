import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsPort } from '../engine/ports';
import type { LiveTailOpening, LiveTailQuery, LogEvent, LogQuery, LogQueryResult } from '../engine/types';
import { AwsErrorCodes, callAws } from './aws-errors';
import type { ClientFactory } from './client-factory';
import { openLiveTail } from './live-tail';
import { cutMessage } from './log-message';

export const DEFAULT_MAX_EVENTS = 1000;
export const DEFAULT_MAX_PAGES = 20;
/** The most FilterLogEvents returns in one page. */
const PAGE_LIMIT = 10_000;
export { MAX_MESSAGE_CHARS } from './log-message';

/** CloudWatch Logs through the SDK: bounded searches. */
export class LogsAdapter implements LogsPort {
  constructor(private readonly clientFor: ClientFactory<CloudWatchLogsClient>) {}

  /**
   * Pages FilterLogEvents until no nextToken remains (an empty page with a token continues),
   * stopping at `maxEvents` (default 1000) or `maxPages` (default 20) with `truncated: true`.
   * Messages longer than 4000 characters are cut.
   * @throws CodedError `log_group_not_found`.
   */
  async filterLogEvents(region: string, query: LogQuery): Promise<LogQueryResult> {
    const maxEvents = Math.max(1, query.maxEvents ?? DEFAULT_MAX_EVENTS);
    const maxPages = Math.max(1, query.maxPages ?? DEFAULT_MAX_PAGES);
    const events: LogEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await this.page(region, query, nextToken, Math.min(PAGE_LIMIT, maxEvents - events.length));
      pages += 1;
      const fresh = (page.events ?? []).map(toLogEvent);
      nextToken = page.nextToken || undefined;
      if (events.length + fresh.length >= maxEvents) {
        const more = events.length + fresh.length > maxEvents || nextToken !== undefined;
        events.push(...fresh.slice(0, maxEvents - events.length));
        return { events, truncated: more, pages };
      }
      events.push(...fresh);
    } while (nextToken !== undefined && pages < maxPages);
    return { events, truncated: nextToken !== undefined, pages };
  }

  /** CloudWatch `StartLiveTail`; see `openLiveTail`. */
  openLiveTail(region: string, query: LiveTailQuery, signal: AbortSignal): Promise<LiveTailOpening> {
    return openLiveTail(this.clientFor, region, query, signal);
  }

  private page(region: string, query: LogQuery, nextToken: string | undefined, limit: number) {
    const command = new FilterLogEventsCommand({
      logGroupName: query.logGroup,
      startTime: query.since,
      ...(query.until !== undefined ? { endTime: query.until } : {}),
      ...(query.pattern ? { filterPattern: query.pattern } : {}),
      ...(nextToken ? { nextToken } : {}),
      limit,
    });
    return callAws(
      {
        api: 'Logs',
        operation: 'FilterLogEvents',
        notFound: {
          names: ['ResourceNotFoundException'],
          code: AwsErrorCodes.logGroupNotFound,
          message: `log group ${query.logGroup} not found in ${region}`,
        },
      },
      () => this.clientFor(region).send(command),
    );
  }
}

function toLogEvent(e: { timestamp?: number; message?: string; logStreamName?: string; eventId?: string }): LogEvent {
  return {
    timestamp: new Date(e.timestamp ?? 0),
    message: cutMessage(e.message ?? ''),
    logStream: e.logStreamName,
    ...(e.eventId ? { eventId: e.eventId } : {}),
  };
}
