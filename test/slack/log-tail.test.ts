/**
 * `/logs <service> follow` through Bolt's real receiver (signed requests) and a fake Slack: new
 * lines reach the thread escaped; the tail ends on Stop, at its time, or when the bot shuts down,
 * each time with exactly one closing message and the parent without its button; one tail per service.
 */
import { FakeClock } from '../fakes/fake-clock';
import { parseLogs } from '../../src/slack/command-parse';
import { buttonsOf, CONFIG_YAML, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import type { SlackCall } from './helpers/fake-slack';

describe('Slack bot: /logs <service> follow', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  const live = () => h.fake!.te.world.liveTail;
  const parents = () =>
    h.slack.of('chat.postMessage').filter((c) => buttonsOf(c.body).some((b) => b.action_id === 'stop_tail'));
  const parent = () => waitFor(() => parents()[0], 5000, 'the tail parent');
  const closings = (p: SlackCall) =>
    h.slack.replies(p.ts!).filter((c) => messageText(c.body).includes('Log tail of *backend* stopped'));
  const lastUpdate = (p: SlackCall) =>
    h.slack
      .of('chat.update')
      .filter((c) => c.body.ts === p.ts)
      .at(-1);

  /** Ends with one closing message that says `why`, and the parent no longer offers Stop. */
  async function expectOneClosing(p: SlackCall, why: RegExp): Promise<void> {
    await waitFor(
      () => closings(p).length > 0 && lastUpdate(p) && !buttonsOf(lastUpdate(p)!.body).length,
      5000,
      'the end',
    );
    expect(closings(p)).toHaveLength(1);
    expect(messageText(closings(p)[0].body)).toMatch(why);
    expect(live().open).toBe(0);
  }

  it('posts new lines into the thread, escaped, and stops on the button with one closing message', async () => {
    h = await startHarness();
    await h.command('/logs', 'backend follow 5m', USERS.deployer);
    const p = await parent();
    expect(p.body.channel).toBe('CDEPLOYS');
    expect(messageText(p.body)).toContain('Following *backend* logs matching `ERROR` for 5m');
    await waitFor(() => live().open === 1, 5000, 'the live tail');
    live().push(['ERROR payment failed <!channel> <https://evil.example|click> @here']);
    const batch = await waitFor(
      () => h.slack.replies(p.ts!).find((c) => messageText(c.body).includes('payment failed')),
      5000,
      'the batch',
    );
    const text = messageText(batch.body);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://');
    expect(text).toContain('&lt;!channel&gt;');

    const stop = buttonsOf(p.body).find((b) => b.action_id === 'stop_tail')!;
    await h.click({ actionId: 'stop_tail', value: stop.value, userId: USERS.oncall, messageTs: p.ts });
    await expectOneClosing(p, /stopped: uoncall pressed Stop\./);
    // A second click (a double click, a stale message) ends nothing and posts no second closing.
    await h.click({ actionId: 'stop_tail', value: stop.value, userId: USERS.oncall, messageTs: p.ts });
    await waitFor(
      () => h.slack.responses().some((r) => String(r.body.text).includes('has already stopped')),
      5000,
      'the answer',
    );
    expect(closings(p)).toHaveLength(1);
  });

  it('stops at its time with one closing message', async () => {
    // Time jumps at every sleep: a minute passes in a few dozen turns of the event loop.
    h = await startHarness({ bot: { clock: new FakeClock(Date.now()) } });
    await h.command('/logs', 'backend follow 1m', USERS.deployer);
    const p = await parent();
    await expectOneClosing(p, /time is up/);
  });

  it('asks for more than 15 minutes and gets 15', async () => {
    h = await startHarness();
    await h.command('/logs', 'backend follow 2h', USERS.deployer);
    expect(messageText((await parent()).body)).toContain('for 15m');
  });

  it('stops when the bot shuts down, with one closing message', async () => {
    h = await startHarness();
    await h.command('/logs', 'backend follow', USERS.deployer);
    const p = await parent();
    await waitFor(() => live().open === 1, 5000, 'the live tail');
    await h.bot.stop();
    // stop() waits for the closing message: it is there the moment the bot has stopped.
    expect(closings(p)).toHaveLength(1);
    expect(messageText(closings(p)[0].body)).toContain('the bot is shutting down');
    expect(buttonsOf(lastUpdate(p)!.body)).toHaveLength(0);
    expect(live().open).toBe(0);
  });

  it('runs one tail per service: a second is refused until the first ends', async () => {
    h = await startHarness();
    await h.command('/logs', 'backend follow', USERS.deployer);
    const p = await parent();
    await h.command('/logs', 'backend follow 2m', USERS.oncall);
    const refusal = await waitFor(
      () => h.slack.responses().find((r) => String(r.body.text).includes('already running')),
      5000,
      'the refusal',
    );
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(refusal.body.text).toContain('started by');
    expect(parents()).toHaveLength(1);
    expect(live().opened).toHaveLength(1);

    const stop = buttonsOf(p.body).find((b) => b.action_id === 'stop_tail')!;
    await h.click({ actionId: 'stop_tail', value: stop.value, userId: USERS.deployer, messageTs: p.ts });
    await expectOneClosing(p, /pressed Stop/);
    await h.command('/logs', 'backend follow', USERS.oncall);
    await waitFor(() => parents().length === 2, 5000, 'the second tail');
  });

  it('says once on the parent that it polls when the live tail is denied, and still posts new lines', async () => {
    h = await startHarness();
    live().mode = 'denied';
    await h.command('/logs', 'backend follow', USERS.deployer);
    const p = await parent();
    const noted = await waitFor(() => lastUpdate(p), 5000, 'the polling note');
    expect(messageText(noted.body)).toContain(
      'live tail unavailable (User is not authorized to perform: logs:StartLiveTail); polling every 2 s',
    );
    h.fake!.te.world.logs.push({
      timestamp: new Date(h.fake!.te.clock.now() + 1000),
      message: 'ERROR late line',
      eventId: 'e1',
    });
    await waitFor(
      () => h.slack.replies(p.ts!).some((c) => messageText(c.body).includes('ERROR late line')),
      5000,
      'the polled line',
    );
    await h.bot.stop();
    expect(h.slack.replies(p.ts!).filter((c) => messageText(c.body).includes('ERROR late line'))).toHaveLength(1);
    expect(closings(p)).toHaveLength(1);
  });

  it('says a service without a log group has nothing to follow, and starts nothing', async () => {
    h = await startHarness();
    await h.command('/logs', 'web follow', USERS.deployer);
    await waitFor(() => h.slack.responses().length === 1, 5000, 'the answer');
    expect(h.slack.responses()[0].body.text).toBe('web has no logGroup configured: there are no logs to follow.');
    expect(parents()).toHaveLength(0);
  });

  it('counts against the read limits like /logs: beyond them, no tail starts', async () => {
    const configYaml = CONFIG_YAML.replace(
      /^region: us-east-1$/m,
      'region: us-east-1\nslack:\n  readLimits: { perUser: 1, window: 10s }',
    );
    h = await startHarness({ configYaml });
    await h.command('/logs', 'backend', USERS.oncall);
    await waitFor(() => h.slack.responses().length === 1, 5000, 'the /logs answer');
    await h.command('/logs', 'backend follow', USERS.oncall);
    await waitFor(() => h.slack.responses().length === 2, 5000, 'the refusal');
    expect(String(h.slack.responses()[1].body.text)).toMatch(/^:hourglass: You've run \/logs 1 times/);
    expect(parents()).toHaveLength(0);
    expect(live().opened).toHaveLength(0);
  });
});

describe('Slack command: /logs … follow', () => {
  const services = ['backend', 'web'];

  it.each([
    ['backend follow', { service: 'backend', followMs: 300_000 }],
    ['backend follow 2m', { service: 'backend', followMs: 120_000 }],
    ['backend follow 10m ?ERROR ?Exception', { service: 'backend', followMs: 600_000, pattern: '?ERROR ?Exception' }],
    ['backend FOLLOW 2h', { service: 'backend', followMs: 900_000 }],
    ['backend 30m', { service: 'backend', sinceMs: 1_800_000 }],
  ])('parses %j', (text, args) => {
    const parsed = parseLogs(text, services);
    expect(parsed).toEqual({ kind: 'ok', args: { pattern: undefined, ...args } });
  });

  it('refuses a service it does not know', () => {
    expect(parseLogs('nope follow', services).kind).toBe('usage');
  });
});
