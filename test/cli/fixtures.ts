/** Named results and events for the formatter tests. */
import type { ChangeResult, EngineEvent, PhaseResult } from '../../src/engine/model';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:${n}`;

const phase = (
  name: PhaseResult['name'],
  status: PhaseResult['status'],
  from: string,
  to: string,
  detail: string,
): PhaseResult => ({
  name,
  status,
  startedAt: `2026-11-25T10:${from}Z`,
  finishedAt: `2026-11-25T10:${to}Z`,
  detail,
});

const base: ChangeResult = {
  ok: true,
  kind: 'deploy',
  outcome: 'succeeded',
  exitCode: 0,
  deployId: 'd-0001',
  service: 'backend',
  sha: 'abc1234def',
  digest: `sha256:${'2'.repeat(64)}`,
  fromTaskDefinition: TD(1),
  toTaskDefinition: TD(2),
  finalTaskDefinition: TD(2),
  phases: [
    phase('resolve_image', 'ok', '00:00', '00:01', 'abc1234 → sha256:222222222222'),
    phase('rollout', 'ok', '00:01', '03:13', 'COMPLETED, 2/2 on backend-prod:2'),
    phase('targets', 'ok', '03:13', '03:20', '2 healthy'),
    phase('smoke', 'skipped', '03:20', '03:20', '--skip-smoke'),
  ],
  smoke: [],
  targets: [],
  logs: null,
  failure: null,
  summary: 'backend abc1234 deployed (rev 2) in 3m20s',
  actor: { id: 'cli:alice', name: 'alice', via: 'cli' },
  startedAt: '2026-11-25T10:00:00Z',
  finishedAt: '2026-11-25T10:03:20Z',
  error: null,
  reportPath: 'reports/deployment-20261125-100000.md',
};

export const SUCCEEDED: ChangeResult = base;

export const ROLLED_BACK: ChangeResult = {
  ...base,
  ok: false,
  outcome: 'rolled_back',
  exitCode: 1,
  finalTaskDefinition: TD(1),
  phases: [
    phase('rollout', 'failed', '00:01', '04:00', 'circuit breaker rolled the deployment back'),
    phase('rollback', 'ok', '04:00', '05:30', 'backend-prod:1 COMPLETED, 2/2'),
  ],
  failure: { phase: 'rollout', reason: 'ECS deployment circuit breaker: tasks failed to start' },
  summary: 'backend abc1234 failed in rollout; rolled back to rev 1',
  finishedAt: '2026-11-25T10:05:30Z',
};

export const ROLLBACK_FAILED: ChangeResult = {
  ...base,
  ok: false,
  outcome: 'rollback_failed',
  exitCode: 3,
  finalTaskDefinition: TD(2),
  phases: [
    phase('smoke', 'failed', '03:20', '03:25', 'version: expected abc1234, got 1111111'),
    phase('rollback', 'failed', '03:25', '18:25', 'timed out after 15m waiting for backend-prod:1'),
  ],
  failure: { phase: 'rollback', reason: 'rollback to backend-prod:1 did not stabilise within 15m' },
  summary: 'backend abc1234 failed in smoke; the rollback failed too',
  finishedAt: '2026-11-25T10:18:25Z',
};

export function progress(running: number, desired: number, pending: number, rolloutState = 'IN_PROGRESS'): EngineEvent {
  return {
    type: 'progress',
    changeId: 'd-0001',
    service: 'backend',
    at: '2026-11-25T10:01:00Z',
    phase: 'rollout',
    taskDefinition: TD(2),
    running,
    desired,
    pending,
    rolloutState,
  };
}

export function event<T extends EngineEvent['type']>(
  type: T,
  fields: Omit<Extract<EngineEvent, { type: T }>, 'type' | 'changeId' | 'service' | 'at'>,
): EngineEvent {
  return {
    type,
    changeId: 'd-0001',
    service: 'backend',
    at: '2026-11-25T10:00:00Z',
    ...fields,
  } as unknown as EngineEvent;
}
