import { formatSummary } from '../../src/cli/format-progress';
import { refusalText } from '../../src/slack/refused-change';
import { alice, bob, createTestEngine, sha } from '../fakes';

describe('Engine: a busy service is refused with its holder as data', () => {
  it('names the holder in the result, and each surface words its own advice from it', async () => {
    // Prepare: a deploy whose rollout does not finish holds the service
    const t = createTestEngine();
    const first = t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    const lock = await (async () => {
      for (let i = 0; i < 200; i++) {
        const held = await t.store.getLock('backend');
        if (held) return held;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('the first deploy never took the lock');
    })();

    // Act
    const refused = await t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: bob });
    await first;

    // Assess: the engine says who holds it, and no advice of any surface
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
    expect(refused.lockHolder).toMatchObject({
      changeId: lock.changeId,
      action: 'deploy',
      actor: { name: 'alice' },
      acquiredAt: lock.acquiredAt,
      leaseExpiresAt: lock.leaseExpiresAt,
    });
    expect(refused.error!.message).toContain(`backend is locked by deploy ${lock.changeId} (alice via`);
    expect(refused.error!.message).not.toMatch(/--wait-for-lock|recover|--force/);
    // The terminal advises waiting, recovering or breaking the lock; Slack only waiting.
    const terminal = formatSummary(refused).join('\n');
    expect(terminal).toContain('--wait-for-lock 10m');
    expect(terminal).toContain('ecs-chatops locks break backend --force');
    const slack = await refusalText({}, refused);
    expect(slack).toContain(`deploy \`${lock.changeId}\``);
    expect(slack).not.toMatch(/--force|locks break|wait-for-lock/);
  });
});
