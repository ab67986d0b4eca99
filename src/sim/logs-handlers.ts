/** The simulated CloudWatch Logs API (JSON 1.1, target prefix `Logs_20140328`). */
import type { Handler } from './ecs-handlers';
import { startLiveTail } from './live-tail';
import { compileFilterPattern } from './log-filter';
import type { SimLogGroup, SimState } from './model';
import { AwsError } from './wire';

/** Events per page: far below AWS's 10,000 so that callers' paging is exercised. */
const PAGE_SIZE = 50;

interface PageToken {
  /** Offset into the matching events. */
  o: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(raw: unknown): PageToken | undefined {
  if (typeof raw !== 'string' || !raw) return undefined;
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken;
    if (typeof token.o === 'number' && token.o >= 0) return token;
  } catch {
    // fall through to the AWS error below
  }
  throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
}

/** @throws AwsError `ResourceNotFoundException` */
function requireGroup(state: SimState, params: Record<string, unknown>): SimLogGroup {
  const ref = params.logGroupName ?? params.logGroupIdentifier;
  const name =
    typeof ref === 'string' && ref.startsWith('arn:') ? ref.split(':log-group:')[1]?.replace(/:\*$/, '') : ref;
  const group = typeof name === 'string' ? state.logGroups.get(name) : undefined;
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

/**
 * Matches in time order. Like AWS, a query with results may first answer an empty page
 * that still carries a nextToken.
 */
const filterLogEvents: Handler = (state, params) => {
  const group = requireGroup(state, params);
  const matches = compileFilterPattern(typeof params.filterPattern === 'string' ? params.filterPattern : undefined);
  const start = typeof params.startTime === 'number' ? params.startTime : 0;
  const end = typeof params.endTime === 'number' ? params.endTime : Number.MAX_SAFE_INTEGER;
  const streams = Array.isArray(params.logStreamNames) ? (params.logStreamNames as string[]) : undefined;
  const prefix = typeof params.logStreamNamePrefix === 'string' ? params.logStreamNamePrefix : '';
  const limit = typeof params.limit === 'number' && params.limit > 0 ? Math.min(params.limit, PAGE_SIZE) : PAGE_SIZE;
  const found = group.events
    .filter((e) => e.timestamp >= start && e.timestamp <= end)
    .filter((e) => (!streams || streams.includes(e.logStreamName)) && e.logStreamName.startsWith(prefix))
    .filter((e) => matches(e.message))
    .sort((a, b) => a.timestamp - b.timestamp);
  const token = decodeToken(params.nextToken);
  if (!token && found.length > 0) return { events: [], searchedLogStreams: [], nextToken: encodeToken({ o: 0 }) };
  const offset = token?.o ?? 0;
  const page = found.slice(offset, offset + limit);
  const more = offset + limit < found.length;
  return {
    events: page.map((e) => ({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: e.eventId,
    })),
    searchedLogStreams: [],
    ...(more ? { nextToken: encodeToken({ o: offset + limit }) } : {}),
  };
};

const describeLogGroups: Handler = (state, params) => {
  const prefix = typeof params.logGroupNamePrefix === 'string' ? params.logGroupNamePrefix : '';
  const pattern = typeof params.logGroupNamePattern === 'string' ? params.logGroupNamePattern : '';
  const limit = typeof params.limit === 'number' && params.limit > 0 ? Math.min(params.limit, 50) : 50;
  const groups = [...state.logGroups.values()]
    .filter((g) => g.name.startsWith(prefix) && g.name.includes(pattern))
    .sort((a, b) => a.name.localeCompare(b.name));
  const offset = decodeToken(params.nextToken)?.o ?? 0;
  const page = groups.slice(offset, offset + limit);
  return {
    logGroups: page.map((g) => ({
      logGroupName: g.name,
      creationTime: g.createdAt.getTime(),
      retentionInDays: 30,
      metricFilterCount: 0,
      arn: g.arn,
      storedBytes: g.events.reduce((n, e) => n + e.message.length, 0),
      logGroupClass: 'STANDARD',
      logGroupArn: g.arn.replace(/:\*$/, ''),
    })),
    ...(offset + limit < groups.length ? { nextToken: encodeToken({ o: offset + limit }) } : {}),
  };
};

export const logsHandlers: Record<string, Handler> = {
  FilterLogEvents: filterLogEvents,
  DescribeLogGroups: describeLogGroups,
  StartLiveTail: startLiveTail,
};
