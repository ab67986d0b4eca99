import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { describeDemoService, PRIMARY, registerRevision, sdkClients, stepUntil } from './helpers';
import { openedAfterEach } from '../teardown';

describe('Simulator: the fake application behind the load balancer', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();

  async function start(scenario = 'healthy', extra: { slowAppMs?: number } = {}) {
    world = opened(await startSimWorld({ manual: true, scenario, ...extra }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
  }
  async function deployAndComplete(imageIndex: number): Promise<string> {
    const arn = await registerRevision(aws.ecs, world.images[imageIndex].digest);
    await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: arn }),
    );
    await stepUntil(world, aws.ecs, (s) => PRIMARY(s)!.rolloutState === 'COMPLETED' && s.deployments!.length === 1);
    return arn;
  }
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, world.appUrl), init);
  const version = async () => ((await (await get('/api/v1/version')).json()) as { gitSha: string }).gitSha;

  it('reports the full git SHA of the image the service runs, following a deploy and a rollback', async () => {
    await start();
    const response = await get('/api/v1/version');
    expect(await response.json()).toEqual({
      gitSha: world.images[0].sha,
      buildTime: expect.any(String),
      nodeEnv: 'production',
      version: expect.any(String),
      service: 'demo-backend',
    });
    const first = (await describeDemoService(aws.ecs)).taskDefinition!;
    await deployAndComplete(2);
    expect(await version()).toBe(world.images[2].sha);
    await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: first }),
    );
    await stepUntil(world, aws.ecs, (s) => PRIMARY(s)!.rolloutState === 'COMPLETED' && s.deployments!.length === 1);
    expect(await version()).toBe(world.images[0].sha);
  });

  it('keeps answering with the old SHA while the new deployment has no running task', async () => {
    await start('stuck');
    const arn = await registerRevision(aws.ecs, world.images[1].digest);
    await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: arn }),
    );
    world.step(10);
    expect(await version()).toBe(world.images[0].sha);
  });

  it('serves the guide endpoints with security headers and CORS for the allowed origin only', async () => {
    await start();
    const live = await get('/api/v1/health/live');
    expect(live.status).toBe(200);
    expect(live.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(live.headers.get('x-content-type-options')).toBe('nosniff');
    expect(live.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(await (await get('/api/v1/health/ready')).json()).toEqual({
      success: true,
      ready: true,
      timestamp: expect.any(String),
    });
    const clients = await get('/api/v1/clients');
    expect(clients.status).toBe(401);
    expect(await clients.json()).toEqual({ error: 'Unauthorized' });
    expect((await get('/')).status).toBe(200);
    const allowed = await get('/api/v1/health/live', { headers: { Origin: 'https://app.demo.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.demo.example');
    const other = await get('/api/v1/health/live', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('redirects plain HTTP to HTTPS, and serves it in no-https-redirect after the next deploy', async () => {
    await start();
    const redirect = await fetch(new URL('/api/v1/health/live', world.httpUrl), { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('https://127.0.0.1/api/v1/health/live');
    world.setScenario('no-https-redirect');
    await deployAndComplete(1);
    const plain = await fetch(new URL('/', world.httpUrl), { redirect: 'manual' });
    expect(plain.status).toBe(200);
  });

  it('wrong-version: after the deploy the app reports a SHA other than the deployed one', async () => {
    await start('wrong-version');
    await deployAndComplete(1);
    const sha = await version();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(world.images.map((i) => i.sha)).not.toContain(sha);
  });

  it('leaky-errors: error responses carry a stack trace, SQL and an email address', async () => {
    await start('leaky-errors');
    await deployAndComplete(1);
    const response = await get('/api/v1/clients');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toMatch(/at .*\.js:\d+:\d+/);
    expect(text).toMatch(/SELECT /);
    expect(text).toMatch(/[\w.]+@example\.com/);
  });

  it('slow-app: answers only after the configured delay', async () => {
    await start('slow-app', { slowAppMs: 150 });
    await deployAndComplete(1);
    const started = Date.now();
    expect((await get('/api/v1/health/live')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers 503 once the service is scaled to 0', async () => {
    await start();
    await aws.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', desiredCount: 0 }));
    await stepUntil(world, aws.ecs, (s) => s.runningCount === 0);
    expect((await get('/api/v1/health/live')).status).toBe(503);
  });
});
