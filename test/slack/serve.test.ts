import { silentLogger } from '../../src/logger';
import { startSlackBot } from '../../src/compose/slack';
import { parseConfig } from '../../src/config/load';
import type { SlackEngine } from '../../src/slack/deps';
import { FakeEngine } from './fake-engine';
import { CONFIG_YAML, startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import { FakeSlack } from './helpers/fake-slack';
import type { JsonDoc } from '../json';

describe('Slack bot: serve', () => {
  describe('configuration', () => {
    const config = parseConfig(CONFIG_YAML);
    let fake: FakeEngine;
    let engine: SlackEngine;
    beforeAll(async () => {
      fake = await FakeEngine.start(CONFIG_YAML);
      engine = fake.engine;
    });
    afterAll(() => fake.close());

    it.each([
      [{ SLACK_SIGNING_SECRET: 's' }, /SLACK_BOT_TOKEN/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'eighty' }, /PORT/],
    ])('refuses to start with %j', async (env, message) => {
      await expect(startSlackBot({ engine, config, logger: silentLogger(), env })).rejects.toMatchObject({
        code: 'invalid_config',
        message: expect.stringMatching(message),
      });
    });

    it('refuses to start when Slack rejects the bot token', async () => {
      const slack = await FakeSlack.start();
      slack.failNext('auth.test', 1, { error: 'invalid_auth' });
      try {
        await expect(
          startSlackBot({
            engine,
            config,
            logger: silentLogger(),
            env: { SLACK_BOT_TOKEN: 'xoxb-bad', SLACK_SIGNING_SECRET: 's', PORT: '0', SLACK_API_URL: slack.apiUrl },
          }),
        ).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('invalid_auth') });
      } finally {
        await slack.close();
      }
    });
  });

  describe('/healthz and shutdown', () => {
    let h: Harness;
    let storeOk = true;

    beforeEach(async () => {
      storeOk = true;
      h = await startHarness({
        bot: {
          store: {
            describe: 'dynamodb:ecs-chatops',
            ping: () =>
              storeOk ? Promise.resolve() : Promise.reject(new Error('table ecs-chatops was not found in eu-west-1')),
          },
        },
      });
    });

    afterEach(async () => {
      await h.close();
    });

    const healthz = async (): Promise<{ status: number; body: JsonDoc }> => {
      const res = await fetch(`http://127.0.0.1:${h.port}/healthz`);
      return { status: res.status, body: (await res.json()) as JsonDoc };
    };

    it('answers 200 when the store and Slack are reachable', async () => {
      expect(await healthz()).toEqual({
        status: 200,
        body: { status: 'ok', store: true, slack: true, storeKind: 'dynamodb' },
      });
    });

    it('answers 503 with the reason when the store is down', async () => {
      storeOk = false;
      const res = await healthz();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        store: false,
        slack: true,
        storeKind: 'dynamodb',
        reason: 'store dynamodb: table (the store) was not found in eu-west-1',
      });
    });

    it('never shows where the store is: no table name, and no path even in a failure', async () => {
      await h.close();
      let fail = false;
      const file = '/var/lib/ecs-chatops/state.db';
      h = await startHarness({
        bot: {
          store: {
            describe: `sqlite:${file}`,
            ping: () =>
              fail
                ? Promise.reject(new Error(`SQLITE_CANTOPEN: unable to open ${file} (under /var/lib/ecs-chatops)`))
                : Promise.resolve(),
          },
        },
      });
      const ok = await healthz();
      fail = true;
      const failed = await healthz();
      expect(ok.body).toEqual({ status: 'ok', store: true, slack: true, storeKind: 'sqlite' });
      expect(failed.body.reason).toBe('store sqlite: SQLITE_CANTOPEN: unable to open (the store) (under (a path))');
      for (const body of [ok.body, failed.body]) expect(JSON.stringify(body)).not.toMatch(/var\/lib|state\.db/);
    });

    it('answers 503 when the last Slack call could not reach Slack', async () => {
      h.slack.failNext('usergroups.users.list', 3, { status: 500 });
      await h.command('/deploy', 'backend abc1234', USERS.platform);
      await waitFor(() => h.slack.responses().length === 1, 5000, 'the refusal');
      const res = await healthz();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ slack: false, reason: 'slack: http 500' });
    });

    it('answers "shutting down" once stopping, lets the running deploy finish, then closes', async () => {
      const release = h.fake!.hold();
      await h.command('/deploy', 'backend abc1234', USERS.deployer);
      await waitFor(() => h.fake!.ids.length === 1, 5000, 'the deploy');
      const stopping = h.bot.stop();
      await h.command('/status', 'backend', USERS.deployer);
      const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the answer');
      expect(answer.body.text).toMatch(/shutting down/);
      release();
      await stopping;
      expect((await h.fake!.change('d-1'))?.outcome).toBe('succeeded');
      await expect(fetch(`http://127.0.0.1:${h.port}/healthz`)).rejects.toThrow();
    });
  });
});
