/**
 * During a freeze a deploy is refused (exit 4) while a rollback, an emergency stop and a restart
 * go through; an override needs force and a second person's approval; a deploy already running
 * when a freeze starts finishes.
 */
import type { EngineEvent } from '../../src/engine/model';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML } from '../fakes';

const SHA2 = sha(2).slice(0, 7);
const SHA3 = sha(3).slice(0, 7);
/** The fake clock starts on Wednesday 2026-11-25 10:00 UTC, inside this window. */
const WINDOW_YAML = `${TEST_CONFIG_YAML}
freezes:
  - name: midweek
    services: [backend]
    start: "Wed 09:00"
    end: "Wed 18:00"
    timeZone: Europe/London
    reason: quarter-end close
`;

async function deployedTwice() {
  const t = createTestEngine();
  await t.engine.deploy({ service: 'backend', sha: SHA2, actor: alice });
  return t;
}

describe('Engine: deploys during a freeze', () => {
  it('refuses a deploy in a configured window with exit 4, naming the window, and changes nothing', async () => {
    // Prepare
    const t = createTestEngine({ configYaml: WINDOW_YAML });
    const events: EngineEvent[] = [];

    // Act
    const result = await t.engine.deploy({
      service: 'backend',
      sha: SHA2,
      actor: alice,
      onEvent: (e) => events.push(e),
    });

    // Assess
    expect(result).toMatchObject({ ok: false, outcome: 'refused', exitCode: 4, error: { code: 'frozen' } });
    expect(result.error?.message).toContain(
      'backend is frozen: midweek ("quarter-end close", window in Europe/London) until Wed 2026-11-25 18:00 GMT',
    );
    expect(t.world.writes()).toEqual([]);
    expect(events.find((e) => e.type === 'frozen')).toMatchObject({
      freezes: [{ name: 'midweek', kind: 'window', until: '2026-11-25T18:00:00.000Z' }],
      approvedBy: null,
    });
    const audit = await t.store.listAudit({ service: 'backend' });
    expect(audit.find((a) => a.action === 'freeze.refused')?.details).toMatchObject({ kind: 'deploy', forced: false });
    expect(await t.store.getLock('backend')).toBeUndefined();
  });

  it('refuses a deploy during an ad-hoc freeze while a rollback, an emergency stop and a restart go through', async () => {
    // Prepare
    const t = await deployedTwice();
    await t.engine.deploy({ service: 'backend', sha: SHA3, actor: alice });
    await t.engine.setFreeze({ scope: 'all', durationMs: 2 * 3_600_000, reason: 'incident INC-42', actor: bob });

    // Act
    const deploy = await t.engine.deploy({ service: 'backend', sha: SHA2, actor: alice });
    const rollback = await t.engine.rollback({ service: 'backend', target: { kind: 'previous' }, actor: alice });
    const stop = await t.engine.stop({ service: 'backend', reason: 'data leak', actor: alice });
    const restart = await t.engine.restart({ service: 'backend', actor: alice });

    // Assess
    expect(deploy).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'frozen' } });
    expect(deploy.error?.message).toContain('ad-hoc ("incident INC-42", set by bob) until Wed 2026-11-25 12:00 UTC');
    expect([rollback.outcome, stop.outcome, restart.outcome]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(rollback.finalTaskDefinition).toMatch(/backend-prod:2$/);
  });

  it('lets a deploy through once the freeze lifts by itself or is cleared', async () => {
    // Prepare
    const t = createTestEngine();
    await t.engine.setFreeze({ scope: 'backend', durationMs: 60 * 60_000, reason: 'db migration', actor: bob });

    // Act
    t.clock.advance(61 * 60_000);
    const afterLift = await t.engine.deploy({ service: 'backend', sha: SHA2, actor: alice });
    await t.engine.setFreeze({ scope: 'backend', durationMs: 60 * 60_000, reason: 'again', actor: bob });
    const cleared = await t.engine.clearFreeze('backend', bob);
    const afterClear = await t.engine.deploy({ service: 'backend', sha: SHA3, actor: alice });

    // Assess
    expect(afterLift.outcome).toBe('succeeded');
    expect(cleared).toMatchObject({ scope: 'backend', reason: 'again' });
    expect(afterClear.outcome).toBe('succeeded');
    const actions = (await t.store.listAudit({ service: 'backend' })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['freeze.set', 'freeze.cleared']));
  });

  it('lets a deploy that was running when a freeze began finish', async () => {
    // Prepare: the freeze is set while the rollout is under way
    const t = createTestEngine();
    const sets: Promise<unknown>[] = [];
    const onEvent = (e: EngineEvent) => {
      if (e.type === 'phase_started' && e.phase === 'rollout')
        sets.push(t.engine.setFreeze({ scope: 'all', durationMs: 3_600_000, reason: 'incident', actor: bob }));
    };

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHA2, actor: alice, onEvent });
    await Promise.all(sets);

    // Assess
    expect(result.outcome).toBe('succeeded');
    expect(await t.engine.activeFreezes('backend')).toHaveLength(1);
  });
});

describe('Engine: overriding a freeze', () => {
  it('refuses a forced deploy without a second person, and audits the refusal', async () => {
    // Prepare
    const t = createTestEngine({ configYaml: WINDOW_YAML });

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHA2, force: true, actor: alice });

    // Assess
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'approval_required' } });
    expect(result.error?.message).toContain("needs a second person's approval of the override");
    expect(t.world.writes()).toEqual([]);
    const refused = (await t.store.listAudit({ service: 'backend' })).find((a) => a.action === 'freeze.refused');
    expect(refused?.details).toMatchObject({ kind: 'deploy', forced: true, freezes: [{ name: 'midweek' }] });
  });

  it('deploys with force and a second person approval, once, and audits the override and the approval', async () => {
    // Prepare
    const t = createTestEngine({ configYaml: WINDOW_YAML });
    const request = await t.engine.requestApproval({
      service: 'backend',
      action: 'deploy',
      params: { sha: SHA2, force: true, freezeOverride: true },
      requester: alice,
      reason: 'hotfix for INC-42',
    });
    const self = await t.engine.decideApproval(request.id, 'approved', alice);
    const approved = await t.engine.decideApproval(request.id, 'approved', bob);

    // Act
    const result = await t.engine.deploy({
      service: 'backend',
      sha: SHA2,
      force: true,
      approvalId: request.id,
      actor: alice,
    });
    const again = await t.engine.deploy({
      service: 'backend',
      sha: SHA2,
      force: true,
      approvalId: request.id,
      actor: alice,
    });

    // Assess
    expect(self).toMatchObject({ ok: false, reason: 'self_approval' });
    expect(approved.ok).toBe(true);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded' });
    expect(result.phases.find((p) => p.name === 'approval')).toMatchObject({
      status: 'ok',
      detail: 'freeze override (midweek) approved by bob',
      approvedBy: bob,
    });
    expect(again).toMatchObject({ outcome: 'refused', error: { code: 'approval_invalid' } });
    const audit = await t.store.listAudit({ service: 'backend' });
    expect(audit.find((a) => a.action === 'freeze.override')?.details).toMatchObject({
      approvalId: request.id,
      approvedBy: bob,
      freezes: [{ name: 'midweek' }],
    });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['approval.requested', 'approval.approved']));
  });

  it('refuses an approval that is not a freeze override of this deploy', async () => {
    // Prepare: an approved plain deploy, and an approved override of another SHA
    const t = createTestEngine({ configYaml: WINDOW_YAML });
    const approve = async (params: Record<string, unknown>) => {
      const r = await t.engine.requestApproval({
        service: 'backend',
        action: 'deploy',
        params,
        requester: alice,
        reason: 'r',
      });
      await t.engine.decideApproval(r.id, 'approved', bob);
      return r.id;
    };
    const plain = await approve({ sha: SHA2 });
    const otherSha = await approve({ sha: SHA3, freezeOverride: true });

    // Act
    const results = [];
    for (const approvalId of [plain, otherSha])
      results.push(await t.engine.deploy({ service: 'backend', sha: SHA2, force: true, approvalId, actor: alice }));

    // Assess
    expect(results.map((r) => r.error?.code)).toEqual(['approval_invalid', 'approval_invalid']);
    expect(t.world.writes()).toEqual([]);
  });
});
