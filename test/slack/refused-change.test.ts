import { earlyResult } from '../../src/engine/change/results';
import type { LockInfo } from '../../src/engine/model';
import { refusalText } from '../../src/slack/refused-change';
import { startHarness, USERS, waitFor, type Harness } from './helpers/harness';

const AT = '2026-11-25T10:00:00.000Z';
const LOCK_HELD_BY_CI: LockInfo = {
  service: 'backend',
  action: 'deploy',
  changeId: 'd-ci',
  actor: { id: 'cli:runner', name: 'runner', via: 'cli' },
  owner: 'ci-host:0123abcd',
  acquiredAt: AT,
  leaseExpiresAt: '2026-11-25T10:00:30.000Z',
};
const refusedBusy = {
  ...earlyResult({ kind: 'deploy', service: 'backend', sha: 'abc1234', actor: null, at: AT }, 'refused', {
    code: 'lock_held',
    message: 'backend is locked by deploy d-ci (runner via cli, since …)',
  }),
  lockHolder: LOCK_HELD_BY_CI,
};

describe('Function: refusalText', () => {
  it("names the change holding a busy service and who started it, from the refusal itself, without the terminal's advice", async () => {
    // Act
    const text = await refusalText({}, refusedBusy);

    // Assess
    expect(text).toMatch(
      /^:no_entry: backend is busy: deploy `d-ci` by runner \(CLI\) has been running since <!date\^\d+\^/,
    );
    expect(text).toContain('Nothing was done');
    expect(text).not.toMatch(/--force|locks break|wait-for-lock/);
  });

  it('says the service was busy when the refusal names no holder', async () => {
    expect(await refusalText({}, { ...refusedBusy, lockHolder: null })).toBe(
      ':no_entry: backend was busy with another change a moment ago. Nothing was done; try again.',
    );
  });

  it('passes any other refusal on as the engine worded it', async () => {
    const draining = earlyResult({ kind: 'deploy', service: 'backend', sha: null, actor: null, at: AT }, 'refused', {
      code: 'shutting_down',
      message: 'ecs-chatops is shutting down; try again in a minute',
    });
    expect(await refusalText({}, draining)).toBe(':no_entry: ecs-chatops is shutting down; try again in a minute');
  });
});

describe('Slack bot: a /deploy while another change holds the service', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('answers that the service is busy, naming the running change and who started it', async () => {
    // Prepare: a deploy whose rollout does not move
    const release = h.fake!.hold();
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(() => h.fake!.ids.length === 1, 5000, 'the first deploy');

    // Act
    await h.command('/deploy', 'backend def5678', USERS.platform);
    const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the answer');
    release();

    // Assess
    expect(answer.body.text).toMatch(
      new RegExp(
        `^:no_entry: backend is busy: deploy \`${h.fake!.ids[0]}\` by <@${USERS.deployer}> has been running since`,
      ),
    );
    expect(answer.body.text).not.toMatch(/--force|locks break/);
    expect(h.fake!.ids).toHaveLength(1);
  });
});
