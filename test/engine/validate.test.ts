import { containerImage, pinImage, shortSha, shortTaskDefinition } from '../../src/engine/validate';
import { isPrimary, primaryDeployment } from '../../src/engine/watch/rollout';
import { SERVICE_NAME } from '../../src/config/service-name';

const D = `sha256:${'a'.repeat(64)}`;
const ECR = `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@${D}`;

describe('pinImage', () => {
  it.each([
    [
      'a tagged ECR image',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/backend:abc1234',
      'backend',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@${D}`,
    ],
    [
      'an image already pinned',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@sha256:${'b'.repeat(64)}`,
      'backend',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@${D}`,
    ],
    [
      'a registry with a port',
      'registry.internal:5000/team/backend:1.2',
      'team/backend',
      `registry.internal:5000/team/backend@${D}`,
    ],
    [
      'an untagged image',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/backend',
      'backend',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@${D}`,
    ],
  ])('keeps the registry path of %s and pins the digest', (_name, current, repository, expected) => {
    expect(pinImage(current, repository, D, ECR)).toBe(expected);
  });

  it('uses the ECR URI when the container runs another repository (never a look-alike suffix)', () => {
    expect(pinImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/old-backend:1', 'backend', D, ECR)).toBe(ECR);
    expect(pinImage('nginx:1.25', 'backend', D, ECR)).toBe(ECR);
  });
});

describe('shortTaskDefinition', () => {
  it('shows family:revision for an ARN', () => {
    expect(shortTaskDefinition('arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:42')).toBe(
      'backend-prod:42',
    );
  });
});

describe('classifyErrorCode', () => {
  it('gives the engine and the terminal one answer: configuration and credentials are exit 2, locks and approvals exit 4', async () => {
    const { classifyErrorCode } = await import('../../src/engine/change/results');
    expect(classifyErrorCode('access_denied')).toBe('invalid');
    expect(classifyErrorCode('service_not_found')).toBe('invalid');
    expect(classifyErrorCode('invalid_config')).toBe('invalid');
    expect(classifyErrorCode('lock_held')).toBe('refused');
    expect(classifyErrorCode('deployment_in_progress')).toBe('refused');
    expect(classifyErrorCode('throttled')).toBeNull();
  });
});

describe('Small rules with one home', () => {
  it('writes a git SHA as its first 7 characters, and what the caller says when there is none', () => {
    expect(shortSha('0123456789abcdef')).toBe('0123456');
    expect(shortSha(null)).toBe('-');
    expect(shortSha(undefined, '—')).toBe('—');
  });

  it('writes a task definition as family:revision, from an ARN or a short name', () => {
    expect(shortTaskDefinition('arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:42')).toBe(
      'backend-prod:42',
    );
    expect(shortTaskDefinition('backend-prod:42')).toBe('backend-prod:42');
    expect(shortTaskDefinition(null, '—')).toBe('—');
  });

  it("finds the configured container's image, or null when the revision lacks that container", () => {
    const td = {
      containers: [
        { name: 'sidecar', image: 'envoy:1' },
        { name: 'backend', image: 'repo@sha256:ab' },
      ],
    };
    expect(containerImage(td as never, 'backend')).toBe('repo@sha256:ab');
    expect(containerImage(td as never, 'worker')).toBeNull();
  });

  it('tells the PRIMARY deployment from the ones that drain', () => {
    const state = {
      deployments: [
        { status: 'ACTIVE', taskDefinition: 'a:1' },
        { status: 'PRIMARY', taskDefinition: 'a:2' },
      ],
    };
    expect(primaryDeployment(state as never)?.taskDefinition).toBe('a:2');
    expect(isPrimary({ status: 'ACTIVE' })).toBe(false);
  });

  it('accepts the same service names in commands as in the config', () => {
    for (const ok of ['backend', 'a', 'web-2']) expect(SERVICE_NAME.test(ok)).toBe(true);
    for (const bad of ['Backend', '2web', '-x', 'a'.repeat(41), 'back_end']) expect(SERVICE_NAME.test(bad)).toBe(false);
  });
});
