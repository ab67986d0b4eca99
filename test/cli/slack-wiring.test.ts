import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeFactory } from '../../src/cli/context';
import { createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { run, tempDir } from './helpers';

/** A Slack Web API stand-in that records method names and answers ok. */
class FakeSlack {
  readonly calls: { method: string; body: string }[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
        this.calls.push({ method, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ok: true,
            user_id: 'U0BOT',
            bot_id: 'B0BOT',
            team_id: 'T0TEAM',
            user: 'ecs-chatops',
            channel: 'C0DEPLOYS',
            ts: `${Date.now() / 1000}`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('CLI: Slack wiring', () => {
  const tmp = tempDir();
  const config = tmp.file('ecs-chatops.yml', TEST_CONFIG_YAML);
  const slack = new FakeSlack();
  let apiUrl: string;
  let t: TestEngine;
  let closed: number;
  const createRuntime: RuntimeFactory = async () => ({
    config: t.config,
    engine: t.engine,
    store: t.store,
    close: async () => void (closed += 1),
  });

  beforeAll(async () => {
    apiUrl = await slack.start();
  });
  beforeEach(() => {
    t = createTestEngine();
    closed = 0;
    slack.calls.length = 0;
  });
  afterAll(async () => {
    await slack.stop();
    tmp.cleanup();
  });

  it('deploy --notify-slack posts the deploy thread to the channel and still exits by the deploy', async () => {
    // Act
    const out = await run(
      ['--config', config, 'deploy', 'backend', sha(2).slice(0, 7), '--notify-slack', 'C0DEPLOYS'],
      {
        createRuntime,
        env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: apiUrl },
      },
    );

    // Assess
    expect(out.code).toBe(0);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.length).toBeGreaterThan(0);
    expect(decodeURIComponent(posts[0].body)).toContain('C0DEPLOYS');
  });

  it('serve refuses to start without Slack settings (exit 2) and closes the runtime', async () => {
    const out = await run(['--config', config, 'serve'], { createRuntime, env: {} });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('SLACK_BOT_TOKEN is not set');
    expect(closed).toBe(1);
  });

  it('serve runs until SIGTERM, then stops and closes the runtime', async () => {
    // Prepare
    const signals = new EventEmitter();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: apiUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
    };

    // Act
    const running = run(['--config', config, 'serve'], { createRuntime, env, signals });
    await waitFor(() => signals.listenerCount('SIGTERM') > 0);
    signals.emit('SIGTERM');
    const out = await running;

    // Assess
    expect(out.code).toBe(0);
    expect(closed).toBe(1);
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}
