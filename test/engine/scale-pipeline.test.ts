import { CodedError, ErrorCodes } from '../../src/errors';
import { alice, createTestEngine } from '../fakes';

describe('Engine: stop and restart run through the change pipeline', () => {
  it('ends a stop whose UpdateService failed as rollback_failed (exit 3), as a deploy would, and frees the service', async () => {
    // Prepare
    const t = createTestEngine();
    t.world.failNext.set('updateService', [new CodedError(ErrorCodes.awsError, 'ECS answered 500')]);

    // Act
    const r = await t.engine.stop({ service: 'backend', reason: 'incident', actor: alice });

    // Assess
    expect(r).toMatchObject({ ok: false, outcome: 'rollback_failed', exitCode: 3, error: { code: 'aws_error' } });
    expect(r.phases.find((p) => p.name === 'rollout')).toMatchObject({ status: 'failed', detail: 'ECS answered 500' });
    expect(r.summary).toContain('a person must look');
    expect(await t.store.getLock('backend')).toBeUndefined();
  });

  it('ends a restart whose service could not be read as invalid (exit 2): nothing was changed', async () => {
    // Prepare
    const t = createTestEngine();
    t.world.failNext.set('describeServices', [new CodedError(ErrorCodes.awsError, 'ECS answered 500')]);

    // Act
    const r = await t.engine.restart({ service: 'backend', count: 3, actor: alice });

    // Assess
    expect(r).toMatchObject({ ok: false, outcome: 'invalid', exitCode: 2 });
    expect(r.phases.find((p) => p.name === 'read_service')).toMatchObject({ status: 'failed' });
    expect(r.summary).toContain('nothing was changed');
    expect(t.world.writes()).toEqual([]);
  });
});
