/**
 * CloudWatch Logs `StartLiveTail`: an event stream (`sessionStart`, then `sessionUpdate`s with
 * `sessionResults`) that lasts until the caller aborts or AWS ends the session (3 hours).
 */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type LiveTailSessionLogEvent,
  type StartLiveTailResponseStream,
  StartLiveTailCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CodedError, isCodedError } from '../errors';
import type { LiveTailOpening, LiveTailQuery, LogEvent } from '../engine/types';
import { AwsErrorCodes, callAws, isAccessDenied, isUnavailableApiError, safeAwsMessage } from './aws-errors';
import type { ClientFactory } from './client-factory';
import { cutMessage } from './log-message';

const FALLBACK = 'polls FilterLogEvents every 2 s';

/**
 * Opens a live tail of one log group. Anything that keeps the endpoint or role from tailing live
 * (denied, unknown operation, HTML or 5xx answers, a broken connection) comes back as a reason.
 * @throws CodedError `log_group_not_found`.
 */
export async function openLiveTail(
  clientFor: ClientFactory<CloudWatchLogsClient>,
  region: string,
  query: LiveTailQuery,
  signal: AbortSignal,
): Promise<LiveTailOpening> {
  try {
    const client = clientFor(region);
    const arn = await logGroupArn(client, region, query.logGroup);
    const command = new StartLiveTailCommand({
      logGroupIdentifiers: [arn],
      ...(query.pattern ? { logEventFilterPattern: query.pattern } : {}),
    });
    const response = await callAws({ api: 'Logs', operation: 'StartLiveTail', fallback: FALLBACK }, () =>
      client.send(command, { abortSignal: signal }),
    );
    if (!response.responseStream) return { ok: false, reason: 'the endpoint answered without an event stream' };
    return { ok: true, batches: batches(response.responseStream, signal) };
  } catch (e) {
    if (isCodedError(e) && e.code === AwsErrorCodes.logGroupNotFound) throw e;
    if (signal.aborted) return { ok: false, reason: 'stopped before it began' };
    return { ok: false, reason: refusalReason(e) };
  }
}

/** Why the endpoint would not tail live, in a few words (the SDK's own messages run long). */
function refusalReason(e: unknown): string {
  const cause = isCodedError(e) && e.cause !== undefined ? e.cause : e;
  const meta = (cause as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } } | null) ?? {};
  const status = meta.$metadata?.httpStatusCode ?? meta.$response?.statusCode;
  if (isAccessDenied(cause)) return 'logs:StartLiveTail was denied';
  if (isUnavailableApiError(cause)) return 'this endpoint does not offer StartLiveTail';
  if (status !== undefined && status >= 500) return `the endpoint answered HTTP ${String(status)}`;
  if (/deserialization|not valid JSON|<!doctype|<html/i.test(e instanceof Error ? e.message : ''))
    return 'the endpoint did not answer with an event stream';
  return safeAwsMessage(cause, 160);
}

/** A log group's ARN, as StartLiveTail wants it (a name is looked up with DescribeLogGroups). */
async function logGroupArn(client: CloudWatchLogsClient, region: string, logGroup: string): Promise<string> {
  if (logGroup.startsWith('arn:')) return logGroup.replace(/:\*$/, '');
  const page = await callAws({ api: 'Logs', operation: 'DescribeLogGroups', fallback: FALLBACK }, () =>
    client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup, limit: 50 })),
  );
  const group = page.logGroups?.find((g) => g.logGroupName === logGroup);
  const arn = group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
  if (!arn) throw new CodedError(AwsErrorCodes.logGroupNotFound, `log group ${logGroup} not found in ${region}`);
  return arn;
}

/** The stream's updates as batches of lines; ends quietly when `signal` aborts. */
async function* batches(
  stream: AsyncIterable<StartLiveTailResponseStream>,
  signal: AbortSignal,
): AsyncGenerator<LogEvent[]> {
  try {
    for await (const event of stream) {
      if (signal.aborted) return;
      if (event.sessionUpdate) yield (event.sessionUpdate.sessionResults ?? []).map(toLogEvent);
      const failure = event.SessionTimeoutException ?? event.SessionStreamingException;
      if (failure) throw new Error(failure.message || 'the live tail session ended');
    }
  } catch (e) {
    // An abort tears the connection down mid-stream: that is the caller ending the tail.
    if (signal.aborted) return;
    throw e;
  }
}

function toLogEvent(e: LiveTailSessionLogEvent): LogEvent {
  return {
    timestamp: new Date(e.timestamp ?? 0),
    message: cutMessage(e.message ?? ''),
    logStream: e.logStreamName,
  };
}
