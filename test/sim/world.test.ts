import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { parseConfig } from '../../src/config/load';
import { fetchSimCalls, SCENARIOS, setSimScenario, startSimWorld, type SimWorld } from '../../src/sim';
import { sdkClients } from './helpers';

describe('Simulator: startSimWorld', () => {
  let world: SimWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('writes a valid config for the seeded service, pointing at the app and the plain-HTTP listener', async () => {
    world = await startSimWorld({ manual: true });
    const config = parseConfig(world.configYaml, 'sim config');
    expect(world.services).toEqual(['backend']);
    expect(config.services.backend).toMatchObject({
      cluster: 'demo-cluster',
      service: 'demo-backend',
      container: 'backend',
      ecrRepository: 'demo-backend',
      logGroup: '/ecs/demo-backend',
      baseUrl: world.appUrl,
      smoke: { httpUrl: world.httpUrl, corsOrigin: 'https://app.demo.example' },
      timeouts: { poll: 500, stabilize: 60_000 },
    });
    expect(config.services.backend.targetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\//,
    );
  });

  it('seeds images tagged with 7-character short SHAs of full SHAs, with sha256 digests', async () => {
    world = await startSimWorld({ manual: true });
    expect(world.images.length).toBeGreaterThanOrEqual(2);
    for (const image of world.images) {
      expect(image.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(image.tag).toBe(image.sha.slice(0, 7));
      expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(new Set(world.images.map((i) => i.sha)).size).toBe(world.images.length);
  });

  it('is reachable by an SDK client configured only through its env (AWS_ENDPOINT_URL, dummy credentials)', async () => {
    world = await startSimWorld({ manual: true });
    const saved = { ...process.env };
    Object.assign(process.env, world.env);
    const ecs = new ECSClient({});
    try {
      const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] }));
      expect(out.services![0].serviceName).toBe('demo-backend');
    } finally {
      ecs.destroy();
      for (const key of Object.keys(world.env)) {
        if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = saved[key];
      }
    }
    expect(world.env).toEqual(
      expect.objectContaining({
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_MAX_ATTEMPTS: '5',
      }),
    );
  });

  it('seeds extra services across clusters for benchmarks, each with its own app', async () => {
    world = await startSimWorld({ manual: true, services: 20, clusters: 2 });
    const config = parseConfig(world.configYaml);
    expect(world.services).toHaveLength(20);
    expect(Object.keys(config.services)).toEqual(world.services);
    const clusters = new Set(Object.values(config.services).map((s) => s.cluster));
    expect(clusters).toEqual(new Set(['demo-cluster', 'demo-cluster-2']));
    const aws = sdkClients(world);
    try {
      for (const cluster of clusters) {
        const names = Object.values(config.services)
          .filter((s) => s.cluster === cluster)
          .map((s) => s.service);
        const out = await aws.ecs.send(new DescribeServicesCommand({ cluster, services: names }));
        expect(out.services).toHaveLength(10);
        expect(out.failures).toEqual([]);
      }
    } finally {
      aws.destroy();
    }
    const extra = config.services['backend-7'];
    const version = (await (await fetch(new URL('/api/v1/version', extra.baseUrl))).json()) as {
      service: string;
      gitSha: string;
    };
    expect(version).toMatchObject({ service: 'demo-backend-7', gitSha: world.images[0].sha });
  });

  it('lists every scenario with a description and refuses unknown ones', async () => {
    expect(Object.keys(SCENARIOS)).toEqual(
      expect.arrayContaining([
        'healthy',
        'circuit-breaker',
        'stuck',
        'unhealthy-targets',
        'error-logs',
        'throttling',
        'server-errors',
        'slow',
        'wrong-version',
        'leaky-errors',
        'slow-app',
        'no-https-redirect',
      ]),
    );
    await expect(startSimWorld({ scenario: 'meteor' })).rejects.toThrow(/unknown scenario "meteor"/);
    world = await startSimWorld({ manual: true });
    expect(() => world!.setScenario('meteor')).toThrow(/known: healthy/);
    expect(world.scenario()).toBe('healthy');
  });

  it('offers its calls and the scenario switch over HTTP for other processes', async () => {
    world = await startSimWorld({ manual: true });
    const aws = sdkClients(world);
    await aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] }));
    aws.destroy();
    const calls = await fetchSimCalls(world.endpoint);
    expect(calls.map((c) => c.operation)).toEqual(['DescribeServices']);
    await setSimScenario(world.endpoint, 'circuit-breaker');
    expect(world.scenario()).toBe('circuit-breaker');
    await expect(setSimScenario(world.endpoint, 'meteor')).rejects.toThrow(/400/);
    const shown = (await (await fetch(new URL('/_sim/scenario', world.endpoint))).json()) as { name: string };
    expect(shown.name).toBe('circuit-breaker');
  });

  it('fails cleanly when a port is taken', async () => {
    world = await startSimWorld({ manual: true });
    const port = Number(new URL(world.endpoint).port);
    await expect(startSimWorld({ manual: true, appPort: port })).rejects.toThrow(/EADDRINUSE/);
  });
});
