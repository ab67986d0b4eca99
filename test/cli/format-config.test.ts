import { formatResourceCheck } from '../../src/cli/format-config';

describe('Function: formatResourceCheck', () => {
  it('marks a found resource ✓ and a problem ✗, with the detail when there is one', () => {
    expect(formatResourceCheck({ resource: 'ECS service', name: 'backend-svc', ok: true, detail: 'ACTIVE' })).toBe(
      '    ✓ ECS service backend-svc  ACTIVE',
    );
    expect(formatResourceCheck({ resource: 'ECR repository', name: 'backend', ok: false, detail: '' })).toBe(
      '    ✗ ECR repository backend',
    );
  });

  it('marks a warning ! with its detail: readable, with less to go on', () => {
    const check = {
      resource: 'ECS service deployments',
      name: 'backend-svc',
      ok: true,
      warning: true,
      detail: 'access denied; deploys will judge from the deployments array',
    };
    expect(formatResourceCheck(check)).toBe(
      '    ! ECS service deployments backend-svc  access denied; deploys will judge from the deployments array',
    );
  });
});
