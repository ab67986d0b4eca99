/** The audit log is written so that a failing write never stops a change, nor changes how it is reported. */
import { openStore } from '../../src/store';
import { CodedError, ErrorCodes } from '../../src/errors';
import { alice, createTestEngine, sha } from '../fakes';

describe('Engine: a store that cannot append to the audit log', () => {
  const failingAudit = () => {
    const store = openStore(':memory:');
    store.appendAudit = async () => {
      throw new CodedError(ErrorCodes.storeError, 'the audit table refused the write');
    };
    return store;
  };

  it('still rolls out a healthy deploy and reports it as a success', async () => {
    const t = createTestEngine({ store: failingAudit() });
    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(t.world.primary().taskDefinition).toMatch(/:2$/);
  });

  it('still rolls back a failed deploy through the one update it started, and says so', async () => {
    const t = createTestEngine({ store: failingAudit() });
    t.world.next = 'circuit-breaker';
    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(result.failure?.phase).toBe('rollout');
    expect(t.world.writes().filter((c) => c.op === 'updateService')).toHaveLength(1);
  });
});
