import 'aws-sdk-client-mock-jest';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { LogsAdapter } from '../../src/aws/logs-adapter';
import { LOG_GROUP, REGION } from './fixtures';

const logsMock = mockClient(CloudWatchLogsClient);
const SINCE = Date.parse('2025-05-03T09:00:00Z');

function newAdapter(): LogsAdapter {
  return new LogsAdapter(cachedPerRegion((region) => new CloudWatchLogsClient({ region })));
}

/** `count` error lines, one second apart, starting at `from`. */
function errorLines(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    logStreamName: 'ecs/mentalspace-backend/9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    timestamp: SINCE + (from + i) * 1000,
    message: `ERROR [prisma] connection pool timeout #${from + i}\n`,
    eventId: `ev-${from + i}`,
  }));
}

describe('Class: LogsAdapter', () => {
  beforeEach(() => {
    logsMock.reset();
  });

  describe('Method: filterLogEvents', () => {
    it('pages until there is no nextToken, continuing past an empty page that still has one', async () => {
      // Prepare
      logsMock
        .on(FilterLogEventsCommand)
        .resolvesOnce({ events: errorLines(2), nextToken: 't1' })
        .resolvesOnce({ events: [], nextToken: 't2' })
        .resolvesOnce({ events: errorLines(1, 2) });

      // Act
      const result = await newAdapter().filterLogEvents(REGION, {
        logGroup: LOG_GROUP,
        since: SINCE,
        pattern: 'ERROR',
      });

      // Assess
      expect(result.pages).toBe(3);
      expect(result.truncated).toBe(false);
      expect(result.events.map((e) => e.message)).toEqual([
        'ERROR [prisma] connection pool timeout #0',
        'ERROR [prisma] connection pool timeout #1',
        'ERROR [prisma] connection pool timeout #2',
      ]);
      expect(result.events[0].timestamp).toEqual(new Date(SINCE));
      expect(logsMock).toHaveReceivedNthCommandWith(1, FilterLogEventsCommand, {
        logGroupName: LOG_GROUP,
        startTime: SINCE,
        filterPattern: 'ERROR',
      });
      expect(logsMock.commandCalls(FilterLogEventsCommand)[0].args[0].input).not.toHaveProperty('nextToken');
      expect(logsMock).toHaveReceivedNthCommandWith(3, FilterLogEventsCommand, { nextToken: 't2' });
    });

    it('stops at maxEvents and says the result is truncated', async () => {
      // Prepare
      logsMock
        .on(FilterLogEventsCommand)
        .resolvesOnce({ events: errorLines(3), nextToken: 't1' })
        .resolves({ events: errorLines(3, 3), nextToken: 't2' });

      // Act
      const result = await newAdapter().filterLogEvents(REGION, { logGroup: LOG_GROUP, since: SINCE, maxEvents: 5 });

      // Assess
      expect(result.events).toHaveLength(5);
      expect(result.truncated).toBe(true);
      expect(result.pages).toBe(2);
      expect(logsMock).toHaveReceivedNthCommandWith(2, FilterLogEventsCommand, { limit: 2 });
    });

    it('stops at maxPages while a nextToken remains and says the result is truncated', async () => {
      // Prepare
      logsMock.on(FilterLogEventsCommand).resolves({ events: [], nextToken: 'always-more' });

      // Act
      const result = await newAdapter().filterLogEvents(REGION, { logGroup: LOG_GROUP, since: SINCE, maxPages: 4 });

      // Assess
      expect(logsMock).toHaveReceivedCommandTimes(FilterLogEventsCommand, 4);
      expect(result).toEqual({ events: [], truncated: true, pages: 4 });
    });

    it('is not truncated when the last page ends exactly at maxEvents', async () => {
      // Prepare
      logsMock.on(FilterLogEventsCommand).resolves({ events: errorLines(5) });

      // Act
      const result = await newAdapter().filterLogEvents(REGION, { logGroup: LOG_GROUP, since: SINCE, maxEvents: 5 });

      // Assess
      expect(result.events).toHaveLength(5);
      expect(result.truncated).toBe(false);
    });

    it('passes the time window through and cuts very long lines', async () => {
      // Prepare
      logsMock
        .on(FilterLogEventsCommand)
        .resolves({ events: [{ timestamp: SINCE, message: `ERROR ${'x'.repeat(10_000)}` }] });

      // Act
      const result = await newAdapter().filterLogEvents(REGION, {
        logGroup: LOG_GROUP,
        since: SINCE,
        until: SINCE + 60_000,
      });

      // Assess
      expect(logsMock).toHaveReceivedCommandWith(FilterLogEventsCommand, { startTime: SINCE, endTime: SINCE + 60_000 });
      expect(result.events[0].message.length).toBeLessThanOrEqual(4000);
    });

    it('maps ResourceNotFoundException to log_group_not_found naming the group', async () => {
      // Prepare
      logsMock
        .on(FilterLogEventsCommand)
        .rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));

      // Act
      const act = newAdapter().filterLogEvents(REGION, { logGroup: '/ecs/nope', since: SINCE });

      // Assess
      await expect(act).rejects.toMatchObject({
        code: 'log_group_not_found',
        message: expect.stringContaining('/ecs/nope'),
      });
    });
  });
});
