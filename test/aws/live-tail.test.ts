/**
 * The logs adapter's live tail through the real SDK client against the simulator, which serves
 * StartLiveTail as an `application/vnd.amazon.eventstream` body: lines written after the start
 * arrive, the tail ends when aborted, and a denied or missing operation comes back as a reason.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { LogsAdapter } from '../../src/aws/logs-adapter';
import type { LogEvent } from '../../src/engine/types';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { caught } from './helpers';

const GROUP = '/ecs/demo-backend';

describe('LogsAdapter: openLiveTail against the simulator', () => {
  let world: SimWorld;
  let client: CloudWatchLogsClient;
  let adapter: LogsAdapter;

  beforeEach(async () => {
    world = await startSimWorld({ manual: true });
    client = new CloudWatchLogsClient({
      endpoint: world.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      // As the client factory sets for a custom endpoint: AWS would send this call to `stream-<host>`.
      disableHostPrefix: true,
    });
    adapter = new LogsAdapter(cachedPerRegion(() => client));
  });

  afterEach(async () => {
    client.destroy();
    await world.close();
  });

  it('streams the matching lines written after the start, and ends when aborted', async () => {
    const stop = new AbortController();
    const opening = await adapter.openLiveTail('us-east-1', { logGroup: GROUP, pattern: 'INFO' }, stop.signal);
    if (!opening.ok) throw new Error(opening.reason);
    const received: LogEvent[] = [];
    const reading = (async () => {
      for await (const batch of opening.batches) {
        received.push(...batch);
        if (received.length) stop.abort();
      }
    })();
    // Running tasks write an INFO line every few steps.
    for (let i = 0; i < 12 && !stop.signal.aborted; i += 1) {
      world.step();
      await new Promise((r) => setTimeout(r, 150));
    }
    await reading;
    expect(received.length).toBeGreaterThan(0);
    for (const e of received) expect(e.message).toContain('INFO');
    expect(world.calls().filter((c) => c.operation === 'StartLiveTail')).toHaveLength(1);
  });

  it.each([
    ['denied', /^logs:StartLiveTail was denied$/],
    ['missing', /^this endpoint does not offer StartLiveTail$/],
    ['html-500', /^the endpoint answered HTTP 500$/],
  ] as const)('answers why when StartLiveTail is %s', async (liveTailApi, reason) => {
    world.setKnobs({ liveTailApi });
    const opening = await adapter.openLiveTail('us-east-1', { logGroup: GROUP }, new AbortController().signal);
    expect(opening.ok).toBe(false);
    expect(!opening.ok && opening.reason).toMatch(reason);
  });

  it('says a missing log group is missing (no fallback hides it)', async () => {
    const error = await caught(
      adapter.openLiveTail('us-east-1', { logGroup: '/ecs/nope' }, new AbortController().signal),
    );
    expect(error.code).toBe('log_group_not_found');
  });
});
