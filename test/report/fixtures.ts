/**
 * Named deploy results and records for report and store tests: one clean success and one
 * deploy that failed its smoke tests and was rolled back.
 */
import type { DeployRecord, ChangeResult, PhaseResult } from '../../src/engine/model';
import type { Actor, SmokeResult, TargetHealth } from '../../src/engine/types';

export const ALICE: Actor = { id: 'U0ALICE', name: 'Alice Moreau', via: 'slack' };
export const BOB: Actor = { id: 'U0BOB', name: 'Bob Tan', via: 'slack' };
export const CLI_CAROL: Actor = { id: 'cli:carol', name: 'carol', via: 'cli' };

const FAMILY = 'arn:aws:ecs:us-east-1:123456789012:task-definition/mentalspace-backend-prod';
export const REV_41 = `${FAMILY}:41`;
export const REV_42 = `${FAMILY}:42`;
export const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/mentalspace-backend@${DIGEST}`;

function phase(
  name: PhaseResult['name'],
  status: PhaseResult['status'],
  start: string,
  end: string,
  detail: string,
): PhaseResult {
  return { name, status, startedAt: `2025-01-21T${start}Z`, finishedAt: `2025-01-21T${end}Z`, detail };
}

const SMOKE_ALL_PASS: SmokeResult[] = [
  {
    name: 'version',
    title: 'Version endpoint',
    severity: 'fail',
    status: 'pass',
    ms: 142,
    reason: 'gitSha abc1234 matches',
  },
  { name: 'liveness', title: 'Health (liveness)', severity: 'fail', status: 'pass', ms: 38, reason: '200 OK' },
  {
    name: 'readiness',
    title: 'Database connectivity',
    severity: 'fail',
    status: 'pass',
    ms: 61,
    reason: 'database: connected',
  },
  { name: 'cors', title: 'CORS headers', severity: 'warn', status: 'pass', ms: 40, reason: 'origin allowed' },
];

const HEALTHY_TARGETS: TargetHealth[] = [
  { id: '10.0.1.15', port: 3001, state: 'healthy' },
  { id: '10.0.2.27', port: 3001, state: 'healthy' },
];

/** backend abc1234 deployed as revision 42 and verified. */
export const SUCCEEDED_DEPLOY: ChangeResult = {
  ok: true,
  kind: 'deploy',
  outcome: 'succeeded',
  exitCode: 0,
  deployId: 'dep_20250121_143022_backend',
  service: 'backend',
  sha: 'abc1234',
  digest: DIGEST,
  fromTaskDefinition: REV_41,
  toTaskDefinition: REV_42,
  finalTaskDefinition: REV_42,
  phases: [
    phase('validate', 'ok', '14:30:22.000', '14:30:22.040', 'backend, sha abc1234, lock taken'),
    phase('resolve_image', 'ok', '14:30:22.040', '14:30:22.900', 'mentalspace-backend:abc1234 → sha256:9f86d081884c'),
    phase('read_service', 'ok', '14:30:22.900', '14:30:23.300', 'running mentalspace-backend-prod:41 (2/2)'),
    phase('approval', 'skipped', '14:30:23.300', '14:30:23.300', 'not required for deploy'),
    phase('register', 'ok', '14:30:23.300', '14:30:24.100', 'registered mentalspace-backend-prod:42'),
    phase('rollout', 'ok', '14:30:24.100', '14:33:02.000', 'COMPLETED, 2/2 on :42'),
    phase('targets', 'ok', '14:33:02.000', '14:33:14.000', '2/2 healthy'),
    phase('smoke', 'ok', '14:33:14.000', '14:33:16.500', '4 passed'),
    phase('logs', 'ok', '14:33:16.500', '14:33:17.200', 'no ERROR lines'),
    phase('record', 'ok', '14:33:17.200', '14:33:17.300', 'recorded'),
  ],
  smoke: SMOKE_ALL_PASS,
  targets: HEALTHY_TARGETS,
  logs: { pattern: 'ERROR', count: 0, sample: [], truncated: false },
  failure: null,
  summary: 'backend abc1234 deployed (rev 42) in 2m55s',
  actor: ALICE,
  startedAt: '2025-01-21T14:30:22.000Z',
  finishedAt: '2025-01-21T14:33:17.300Z',
  error: null,
  reportPath: null,
};

/** A hostile log line: a fence breaker, HTML, a terminal escape and a very long tail. */
export const HOSTILE_LOG_LINE = `ERROR \`\`\`\n</pre><script>alert(1)</script> \u001b[31mred\u001b[0m | ${'x'.repeat(400)}`;

/** backend def5678 rolled out as revision 43, failed its readiness smoke check, rolled back to 42. */
export const ROLLED_BACK_DEPLOY: ChangeResult = {
  ok: false,
  kind: 'deploy',
  outcome: 'rolled_back',
  exitCode: 1,
  deployId: 'dep_20250121_150405_backend',
  service: 'backend',
  sha: 'def5678',
  digest: 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  fromTaskDefinition: REV_42,
  toTaskDefinition: `${FAMILY}:43`,
  finalTaskDefinition: REV_42,
  phases: [
    phase('validate', 'ok', '15:04:05.000', '15:04:05.030', 'backend, sha def5678, lock taken'),
    phase('resolve_image', 'ok', '15:04:05.030', '15:04:05.700', 'mentalspace-backend:def5678 → sha256:2c26b46b68ff'),
    phase('read_service', 'ok', '15:04:05.700', '15:04:06.100', 'running mentalspace-backend-prod:42 (2/2)'),
    phase('register', 'ok', '15:04:06.100', '15:04:06.900', 'registered mentalspace-backend-prod:43'),
    phase('rollout', 'ok', '15:04:06.900', '15:06:40.000', 'COMPLETED, 2/2 on :43'),
    phase('targets', 'ok', '15:06:40.000', '15:06:52.000', '2/2 healthy'),
    phase('smoke', 'failed', '15:06:52.000', '15:06:55.250', 'readiness failed: database: disconnected'),
    phase('logs', 'ok', '15:06:55.250', '15:06:56.000', '12 ERROR lines'),
    phase('rollback', 'ok', '15:06:56.000', '15:09:10.000', 'restored mentalspace-backend-prod:42, 2/2 healthy'),
    phase('record', 'ok', '15:09:10.000', '15:09:10.100', 'recorded'),
  ],
  smoke: [
    {
      name: 'version',
      title: 'Version endpoint',
      severity: 'fail',
      status: 'pass',
      ms: 120,
      reason: 'gitSha def5678 matches',
    },
    { name: 'liveness', title: 'Health (liveness)', severity: 'fail', status: 'pass', ms: 35, reason: '200 OK' },
    {
      name: 'readiness',
      title: 'Database connectivity',
      severity: 'fail',
      status: 'fail',
      ms: 3012,
      reason: 'ready: false | database: disconnected',
    },
    {
      name: 'cors',
      title: 'CORS headers',
      severity: 'warn',
      status: 'warn',
      ms: 44,
      reason: 'no Access-Control-Allow-Origin',
    },
    { name: 'root', title: 'Root endpoint', severity: 'fail', status: 'skipped', ms: 0, reason: 'not configured' },
  ],
  targets: [
    { id: '10.0.1.31', port: 3001, state: 'healthy' },
    { id: '10.0.2.44', port: 3001, state: 'healthy' },
    { id: '10.0.1.15', port: 3001, state: 'draining', reason: 'Target.DeregistrationInProgress' },
  ],
  logs: {
    pattern: 'ERROR',
    count: 12,
    sample: [
      {
        timestamp: '2025-01-21T15:06:53.120Z',
        message: "ERROR PrismaClientInitializationError: Can't reach database server",
      },
      { timestamp: '2025-01-21T15:06:54.480Z', message: HOSTILE_LOG_LINE },
    ],
    truncated: true,
  },
  failure: { phase: 'smoke', reason: 'readiness failed: database: disconnected' },
  summary: 'backend def5678 failed smoke tests; rolled back to rev 42 (verified)',
  actor: ALICE,
  startedAt: '2025-01-21T15:04:05.000Z',
  finishedAt: '2025-01-21T15:09:10.100Z',
  error: { code: 'smoke_failed', message: 'readiness failed: database: disconnected' },
  reportPath: null,
};

/** The deploys-table row for a result, as the engine would record it. */
export function recordFor(result: ChangeResult, overrides: Partial<DeployRecord> = {}): DeployRecord {
  return {
    id: result.deployId ?? 'dep_unknown',
    kind: result.kind,
    service: result.service,
    sha: result.sha,
    digest: result.digest,
    image:
      result.digest === null
        ? null
        : `123456789012.dkr.ecr.us-east-1.amazonaws.com/mentalspace-backend@${result.digest}`,
    fromTaskDefinition: result.fromTaskDefinition,
    toTaskDefinition: result.toTaskDefinition,
    finalTaskDefinition: result.finalTaskDefinition,
    outcome: result.outcome,
    actor: result.actor ?? ALICE,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    phases: result.phases,
    result,
    owner: 'bot-host:4242',
    slack: { channel: 'C0DEPLOYS', ts: '1737471022.000100' },
    reportPath: null,
    ...overrides,
  };
}
