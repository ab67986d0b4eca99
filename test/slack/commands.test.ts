import { RELEASES } from './fake-engine';
import { messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import { signature, SIGNING_SECRET } from './helpers/signed-requests';
import type { JsonDoc } from '../json';

describe('Slack bot: slash commands through the real HTTP receiver', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  const lastResponse = (): JsonDoc => h.slack.responses().at(-1)!.body;
  const waitResponse = async (n = 1): Promise<JsonDoc> => {
    await waitFor(() => h.slack.responses().length >= n, 5000, 'a response_url answer');
    return lastResponse();
  };

  describe('request verification', () => {
    it('answers 401 to a forged signature and runs nothing', async () => {
      // Prepare
      const forged = signature('not-the-secret', Math.floor(Date.now() / 1000), 'x');
      // Act
      const res = await h.command('/deploy', 'backend abc1234', USERS.deployer, { signature: forged });
      // Assess
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 50));
      expect(h.fake!.calls).toEqual([]);
      expect(h.slack.responses()).toEqual([]);
      expect(h.slack.of('chat.postMessage')).toEqual([]);
    });

    it('answers 401 to a correctly signed request with a ten-minute-old timestamp', async () => {
      const res = await h.command('/deploy', 'backend abc1234', USERS.deployer, {
        timestamp: Math.floor(Date.now() / 1000) - 600,
        secret: SIGNING_SECRET,
      });
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 50));
      expect(h.fake!.calls).toEqual([]);
      expect(h.slack.of('chat.postMessage')).toEqual([]);
    });

    it('acks a correctly signed command with 200', async () => {
      const res = await h.command('/status', 'backend', USERS.nobody);
      expect(res.status).toBe(200);
    });
  });

  describe('help and malformed input', () => {
    it.each([
      ['/deploy', 'help'],
      ['/deploy', 'backend'],
      ['/deploy', 'backend not-a-sha'],
      ['/deploy', 'nosuch abc1234'],
      ['/deploy', 'backend abc1234; rm -rf /'],
      ['/deploy', 'backend <600 characters>'],
      ['/rollback', 'backend $(whoami)'],
      ['/logs', 'backend 99h'],
      ['/restart', 'backend -3'],
      ['/status', ''],
      ['/emergency-stop', 'backend'],
    ])('%s %s → usage, ephemeral, nothing runs', async (command, label) => {
      const text = label.replace('<600 characters>', 'a'.repeat(600));
      await h.command(command, text, USERS.deployer);
      const body = await waitResponse();
      expect(body.response_type).toBe('ephemeral');
      expect(messageText(body)).toContain(`Usage: \``);
      expect(messageText(body)).toContain(command);
      expect(h.fake!.calls).toEqual([]);
      expect(h.slack.of('chat.postMessage')).toEqual([]);
    });
  });

  describe('authorisation', () => {
    it('refuses an unauthorised deploy ephemerally and runs nothing', async () => {
      await h.command('/deploy', 'backend abc1234', USERS.nobody);
      const body = await waitResponse();
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toMatch(/not allowed to deploy backend/);
      expect(h.fake!.calls).toEqual([]);
      expect(h.slack.of('chat.postMessage')).toEqual([]);
    });

    it('allows a member of a user group named in the access list', async () => {
      await h.command('/deploy', 'backend abc1234', USERS.platform);
      await waitFor(() => h.fake!.ids.length === 1, 5000, 'the deploy');
      expect(h.slack.of('usergroups.users.list')[0].body.usergroup).toBe('S0PLATFORM');
    });

    it("refuses a user missing from the action's list", async () => {
      await h.command('/restart', 'web', USERS.deployer);
      const body = await waitResponse();
      expect(body.text).toMatch(/not allowed to restart web/);
    });
  });

  describe('happy paths', () => {
    it('/deploy posts a parent message in the channel and runs the deploy', async () => {
      await h.command('/deploy', 'backend ABC1234 --skip-smoke', USERS.deployer);
      await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
      expect(h.fake!.calls[0]).toMatchObject({
        method: 'deploy',
        args: { service: 'backend', sha: 'abc1234', skipSmoke: true, actor: { id: USERS.deployer, via: 'slack' } },
      });
      const parent = h.slack.of('chat.postMessage')[0];
      expect(parent.body.channel).toBe('CDEPLOYS');
      expect(parent.body.thread_ts).toBeUndefined();
    });

    it('/deploy --dry-run answers with the plan and changes nothing', async () => {
      await h.command('/deploy', 'backend abc1234 --dry-run', USERS.deployer);
      const body = await waitResponse();
      expect(body.response_type).toBe('ephemeral');
      expect(messageText(body)).toContain('backend:41');
      expect(messageText(body)).toContain('Nothing was changed');
      expect(h.fake!.calls[0]).toMatchObject({ method: 'deploy', args: { dryRun: true } });
      expect(h.fake!.ids).toEqual([]);
    });

    it('/status shows revision, digest prefix and counts in the channel', async () => {
      await h.command('/status', 'backend', USERS.nobody);
      const body = await waitResponse();
      expect(body.response_type).toBe('in_channel');
      const text = messageText(body);
      expect(text).toContain('backend:41');
      expect(text).toContain(RELEASES.running.digest.slice(7, 19));
      expect(text).toContain('2/2');
    });

    it('/version shows what the endpoint says beside ECS', async () => {
      await h.command('/version', 'backend', USERS.nobody);
      const text = messageText(await waitResponse());
      expect(text).toContain(RELEASES.running.sha.slice(0, 7));
      expect(text).toMatch(/agree/);
    });

    it('/smoke runs the smoke tests and shows the table', async () => {
      await h.command('/smoke', 'backend abc1234', USERS.nobody);
      const body = await waitResponse();
      expect(h.fake!.calls).toContainEqual({ method: 'smoke', args: { service: 'backend', expectSha: 'abc1234' } });
      expect(messageText(body)).toContain('readiness');
    });

    it('/logs passes the window and pattern, and answers only the caller', async () => {
      await h.command('/logs', 'backend 15m ?ERROR ?Exception', USERS.nobody);
      const body = await waitResponse();
      expect(h.fake!.calls).toContainEqual({
        method: 'logs',
        args: { service: 'backend', sinceMs: 900_000, pattern: '?ERROR ?Exception', limit: 200 },
      });
      expect(body.response_type).toBe('ephemeral');
      expect(messageText(body)).toContain('payment gateway timeout');
    });

    it('/deploys lists recent changes', async () => {
      await h.command('/deploy', 'backend abc1234', USERS.deployer);
      await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
      await h.command('/deploys', 'backend', USERS.nobody);
      const body = await waitResponse();
      expect(messageText(body)).toContain('abc1234');
      expect(messageText(body)).toMatch(/backend\* deploy/);
    });

    it('/rollback without a target offers recent releases with buttons', async () => {
      await h.command('/deploy', 'backend abc1234', USERS.deployer);
      await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'first deploy');
      await h.command('/deploy', 'backend def5678', USERS.deployer);
      await waitFor(async () => (await h.fake!.change('d-2'))?.outcome === 'succeeded', 5000, 'second deploy');
      await h.command('/rollback', 'backend', USERS.deployer);
      const body = await waitResponse();
      const text = messageText(body);
      expect(text).toContain('rollback_to');
      expect(text).toContain('running now');
    });

    it('/rollback with a revision rolls back to it', async () => {
      await h.command('/rollback', 'backend backend:40', USERS.deployer);
      await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the rollback');
      expect(h.fake!.calls[0]).toMatchObject({
        method: 'rollback',
        args: { service: 'backend', target: { kind: 'revision', revision: 'backend:40' } },
      });
    });

    it('/emergency-stop posts an approval request and stops nothing yet', async () => {
      await h.command('/emergency-stop', 'backend DB is on fire; stop it', USERS.oncall);
      const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
      const text = messageText(post.body);
      expect(text).toContain('DB is on fire; stop it');
      expect(text).toContain('desired 2 → 0');
      expect(text).toContain('"action_id":"approve"');
      expect(h.fake!.calls.filter((c) => c.method === 'stop')).toEqual([]);
    });

    it('/restart restores the kept count', async () => {
      await h.fake!.stopped('backend', 3);
      await h.command('/restart', 'backend', USERS.oncall);
      await waitFor(() => h.fake!.desired('backend') === 3, 5000, 'the restart');
      expect(h.fake!.calls[0]).toMatchObject({
        method: 'restart',
        args: { service: 'backend', actor: { id: USERS.oncall } },
      });
    });

    it('answers an engine error in one ephemeral line', async () => {
      await h.command('/restart', 'backend', USERS.oncall);
      const body = await waitResponse();
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toMatch(/backend has no desired count kept from a stop/);
      expect(body.text).not.toMatch(/\n\s+at /);
    });
  });
});
