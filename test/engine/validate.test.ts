import { pinImage, shortTaskDefinition } from '../../src/engine/validate';

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
