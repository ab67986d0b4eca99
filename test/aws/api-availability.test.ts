/**
 * An endpoint that does not implement the service-deployment API (an emulator answering an HTML
 * page with HTTP 500) is judged absent after a few tries and probed at most once a minute; an API
 * that answered keeps the SDK's retries. Real SDK clients against the simulator.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { Writable } from 'node:stream';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { EcsAdapter } from '../../src/aws/ecs-adapter';
import { createLogger } from '../../src/logger';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { caught } from './helpers';

const REGION = 'us-east-1';
const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-backend';
const SD_OPERATIONS = [
  'ListServiceDeployments',
  'DescribeServiceDeployments',
  'DescribeServiceRevisions',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
];

interface Rig {
  world: SimWorld;
  adapter: EcsAdapter;
  logLines: Record<string, unknown>[];
  advance(ms: number): void;
  sdCalls(): { operation: string; status: number }[];
  close(): Promise<void>;
}

async function rig(options: Parameters<typeof startSimWorld>[0]): Promise<Rig> {
  const world = await startSimWorld({ manual: true, ...options });
  const clients: ECSClient[] = [];
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let now = 1_000_000;
  const clientFor = cachedPerRegion((region) => {
    // As in production: the SDK's standard retries, five attempts.
    const client = new ECSClient({
      region,
      endpoint: world.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 5,
    });
    clients.push(client);
    return client;
  });
  const adapter = new EcsAdapter(clientFor, {
    logger: createLogger({ level: 'info', destination }),
    now: () => now,
    sleep: () => Promise.resolve(),
  });
  return {
    world,
    adapter,
    logLines,
    advance: (ms) => (now += ms),
    sdCalls: () =>
      world
        .calls()
        .filter((c) => SD_OPERATIONS.includes(c.operation))
        .map((c) => ({ operation: c.operation, status: c.status })),
    close: async () => {
      for (const c of clients) c.destroy();
      await world.close();
    },
  };
}

let current: Rig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('Class: EcsAdapter (an endpoint without the service-deployment API)', () => {
  it('judges an operation that answers HTML 500 absent after 3 tries, logs one line without a stack, and calls it no more', async () => {
    // Prepare
    const r = (current = await rig({ serviceDeploymentsApi: 'html-500' }));

    // Act
    const first = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    const again = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    const third = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

    // Assess
    expect(first.code).toBe('api_unavailable');
    expect(first.message).toContain('ECS ListServiceDeployments is not available at this endpoint');
    expect(first.message).toContain('HTTP 500, not JSON');
    expect(first.message).toContain('deployments array');
    expect([again.code, third.code]).toEqual(['api_unavailable', 'api_unavailable']);
    // Three tries, none retried by the SDK (which would make five attempts of each).
    expect(r.sdCalls()).toEqual(
      Array.from({ length: 3 }, () => ({ operation: 'ListServiceDeployments', status: 500 })),
    );
    expect(r.logLines).toHaveLength(1);
    expect(r.logLines[0]).toMatchObject({ level: 40, operation: 'ListServiceDeployments', tries: 3 });
    expect(r.logLines[0].msg).toContain('deployments array');
    expect(r.logLines[0]).not.toHaveProperty('err');
    expect(JSON.stringify(r.logLines[0])).not.toMatch(/\n\s+at /);
  });

  it('judges each operation on its own answers, and names each one’s fallback', async () => {
    // Prepare
    const r = (current = await rig({ serviceDeploymentsApi: 'html-500' }));
    await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

    // Act
    const stop = await caught(r.adapter.stopServiceDeployment(REGION, 'arn:x', 'ROLLBACK'));
    const stopAgain = await caught(r.adapter.stopServiceDeployment(REGION, 'arn:x', 'ROLLBACK'));

    // Assess
    expect([stop.code, stopAgain.code]).toEqual(['api_unavailable', 'api_unavailable']);
    expect(stop.message).toContain('rolls back with UpdateService');
    expect(r.sdCalls().filter((c) => c.operation === 'StopServiceDeployment')).toHaveLength(3);
    expect(r.logLines.map((l) => l.operation)).toEqual(['ListServiceDeployments', 'StopServiceDeployment']);
  });

  it('probes an absent API once a minute, and uses it again once it answers', async () => {
    // Prepare
    const r = (current = await rig({ serviceDeploymentsApi: 'html-500' }));
    await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

    // Act
    r.advance(30_000);
    const early = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    r.advance(31_000);
    const probe = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    const afterProbe = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    r.world.setKnobs({ serviceDeploymentsApi: 'available' });
    r.advance(60_000);
    const answered = await r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE);

    // Assess
    expect([early.code, probe.code, afterProbe.code]).toEqual([
      'api_unavailable',
      'api_unavailable',
      'api_unavailable',
    ]);
    expect(answered.map((d) => d.status)).toEqual(['SUCCESSFUL']);
    expect(r.sdCalls().map((c) => c.status)).toEqual([500, 500, 500, 500, 200]);
    expect(r.logLines.map((l) => l.msg)).toEqual([
      expect.stringContaining('ListServiceDeployments does not answer at this endpoint'),
      expect.stringContaining('answers again'),
    ]);
  });

  it('judges an endpoint that names the operation unknown absent at the first answer', async () => {
    // Prepare
    const r = (current = await rig({ serviceDeploymentsApi: 'missing' }));

    // Act
    const err = await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
    await caught(r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

    // Assess
    expect(err.code).toBe('api_unavailable');
    expect(r.sdCalls()).toHaveLength(1);
  });

  it('keeps retrying the 5xx bursts of an API that answered before (the SDK retries them as usual)', async () => {
    // Prepare: every 4th AWS call starts a 500 and 503 burst.
    const r = (current = await rig({ scenario: 'server-errors' }));

    // Act
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await r.adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

    // Assess
    expect(answers.every((a) => a.length === 1)).toBe(true);
    const statuses = r.sdCalls().map((c) => c.status);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(0);
    expect(r.logLines).toHaveLength(0);
  });
});
