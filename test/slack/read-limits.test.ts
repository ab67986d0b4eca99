import { ReadGate, SlidingWindow } from '../../src/slack/read-limits';
import { parseConfig } from '../../src/config/load';
import { CONFIG_YAML, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

describe('Slack bot: rate-limited reads', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  const smokeRuns = () => h.fake!.calls.filter((c) => c.method === 'smoke');
  const answers = () => h.slack.responses();

  it('30 concurrent /smoke from one person: 5 run as one joined run, 25 are refused politely', async () => {
    const release = h.fake!.holdSmoke();
    const acks = await Promise.all(Array.from({ length: 30 }, () => h.command('/smoke', 'backend', USERS.deployer)));
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await waitFor(() => answers().length === 25, 5000, 'the refusals');
    for (const r of answers()) {
      expect(r.body.response_type).toBe('ephemeral');
      expect(r.body.text).toMatch(/^:hourglass: You've run \/smoke 5 times in the last minute; try again in \d+ s\.$/);
    }
    release();
    await waitFor(() => answers().length === 30, 5000, 'the tables');
    // production saw one run; the channel one table; the four who joined a copy each
    expect(smokeRuns()).toHaveLength(1);
    const tables = answers().filter((r) => String(r.body.text).includes('Smoke tests: backend'));
    expect(tables.map((t) => t.body.response_type).sort()).toEqual([
      'ephemeral',
      'ephemeral',
      'ephemeral',
      'ephemeral',
      'in_channel',
    ]);
    expect(messageText(tables.find((t) => t.body.response_type === 'ephemeral')!.body)).toContain(
      'You joined the run <@UDEPLOYER> started',
    );
    const refusals = (await h.fake!.audits()).filter((a) => a.action === 'read.refused');
    expect(refusals).toHaveLength(25);
    expect(refusals[0]).toMatchObject({
      actor: { id: USERS.deployer },
      service: 'backend',
      details: { where: 'command', command: '/smoke', reason: expect.stringMatching(/rate limited/) },
    });
  });

  it('one service is smoke-tested at most 10 times a minute, whoever asks', async () => {
    for (let i = 0; i < 11; i += 1) {
      await h.command('/smoke', 'backend', `UREADER${i}`);
      await waitFor(() => answers().length === i + 1, 5000, `answer ${i + 1}`);
    }
    expect(smokeRuns()).toHaveLength(10);
    expect(answers()[10].body.text).toMatch(/\/smoke of backend ran 10 times in the last minute; try again in \d+ s\./);
    // another service is not affected
    await h.command('/smoke', 'web', 'UREADER0');
    await waitFor(() => answers().length === 12, 5000, 'the web table');
    expect(answers()[11].body.text).toMatch(/Smoke tests: web/);
  });

  it('/logs and /status are limited per person too', async () => {
    for (let i = 0; i < 6; i += 1) await h.command('/logs', 'backend', USERS.oncall);
    for (let i = 0; i < 6; i += 1) await h.command('/status', 'backend', USERS.oncall);
    await waitFor(() => answers().length === 12, 5000, 'the answers');
    const texts = answers().map((a) => String(a.body.text));
    expect(texts.filter((t) => t.includes("You've run /logs 5 times"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("You've run /status 5 times"))).toHaveLength(1);
    expect(h.fake!.calls.filter((c) => c.method === 'logs')).toHaveLength(5);
  });
});

describe('Slack bot: read limits from config', () => {
  it('follows slack.readLimits: two /logs per person per 10 s here', async () => {
    const configYaml = CONFIG_YAML.replace(
      /^region: us-east-1$/m,
      'region: us-east-1\nslack:\n  readLimits: { perUser: 2, window: 10s }',
    );
    const h = await startHarness({ configYaml });
    try {
      for (let i = 0; i < 3; i += 1) await h.command('/logs', 'backend', USERS.oncall);
      await waitFor(() => h.slack.responses().length === 3, 5000, 'the answers');
      const texts = h.slack.responses().map((a) => String(a.body.text));
      expect(
        texts.filter((t) => /^:hourglass: You've run \/logs 2 times in the last 10 s; try again in \d+ s\.$/.test(t)),
      ).toHaveLength(1);
      expect(h.fake!.calls.filter((c) => c.method === 'logs')).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it.each([
    ['perUser: 0', /slack\.readLimits\.perUser/],
    ['window: 2h', /slack\.readLimits\.window: must be between 1s and 1h/],
    ['perService: { deploy: 3 }', /slack\.readLimits\.perService/],
  ])('refuses slack.readLimits { %s }, naming the key', (value, message) => {
    const yaml = CONFIG_YAML.replace(/^region: us-east-1$/m, `region: us-east-1\nslack:\n  readLimits: { ${value} }`);
    expect(() => parseConfig(yaml)).toThrow(message);
  });
});

describe('ReadGate', () => {
  it('says when the next run is allowed, and allows it then', () => {
    let now = 0;
    const gate = new ReadGate(
      { perUser: 2, perService: { smoke: 10, logs: 10, status: 10 }, window: 60_000 },
      () => now,
    );
    expect(gate.admit('U1', '/smoke', 'backend').ok).toBe(true);
    now = 20_000;
    expect(gate.admit('U1', '/smoke', 'backend').ok).toBe(true);
    now = 30_000;
    const refused = gate.admit('U1', '/smoke', 'backend');
    expect(refused).toEqual({
      ok: false,
      why: 'rate limited: 2 /smoke per person per minute',
      text: ":hourglass: You've run /smoke 2 times in the last minute; try again in 30 s.",
    });
    now = 60_001;
    expect(gate.admit('U1', '/smoke', 'backend').ok).toBe(true);
  });

  it('a refused read is not counted', () => {
    let now = 0;
    const window = new SlidingWindow(60_000, () => now);
    window.charge('k');
    expect(window.waitMs('k', 1)).toBe(60_000);
    now = 59_000;
    expect(window.waitMs('k', 1)).toBe(1000);
    expect(window.waitMs('k', 2)).toBe(0);
  });
});
