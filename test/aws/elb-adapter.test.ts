import 'aws-sdk-client-mock-jest';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { ElbAdapter } from '../../src/aws/elb-adapter';
import { CodedError } from '../../src/errors';
import { REGION, TARGET_GROUP_ARN } from './fixtures';

const elbMock = mockClient(ElasticLoadBalancingV2Client);

function newAdapter(): ElbAdapter {
  return new ElbAdapter(cachedPerRegion((region) => new ElasticLoadBalancingV2Client({ region })));
}

describe('Class: ElbAdapter', () => {
  beforeEach(() => {
    elbMock.reset();
  });

  describe('Method: describeTargetHealth', () => {
    it('returns each target with its exact state, so unhealthy and draining are never counted as healthy', async () => {
      // Prepare
      elbMock.on(DescribeTargetHealthCommand).resolves({
        TargetHealthDescriptions: [
          { Target: { Id: '10.0.1.17', Port: 3001 }, HealthCheckPort: '3001', TargetHealth: { State: 'healthy' } },
          {
            Target: { Id: '10.0.2.44', Port: 3001 },
            TargetHealth: {
              State: 'unhealthy',
              Reason: 'Target.ResponseCodeMismatch',
              Description: 'Health checks failed with these codes: [503]',
            },
          },
          {
            Target: { Id: '10.0.1.9', Port: 3001 },
            TargetHealth: { State: 'unhealthy.draining', Reason: 'Target.DeregistrationInProgress' },
          },
          {
            Target: { Id: '10.0.2.8', Port: 3001 },
            TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress' },
          },
        ],
      });

      // Act
      const targets = await newAdapter().describeTargetHealth(REGION, TARGET_GROUP_ARN);

      // Assess
      expect(elbMock).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: TARGET_GROUP_ARN });
      expect(targets.map((t) => t.state)).toEqual(['healthy', 'unhealthy', 'unhealthy.draining', 'initial']);
      expect(targets.filter((t) => t.state === 'healthy').map((t) => t.id)).toEqual(['10.0.1.17']);
      expect(targets[1]).toEqual({
        id: '10.0.2.44',
        port: 3001,
        state: 'unhealthy',
        reason: 'Target.ResponseCodeMismatch',
        description: 'Health checks failed with these codes: [503]',
      });
    });

    it('returns an empty list for a group without targets', async () => {
      // Prepare
      elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });

      // Act
      const targets = await newAdapter().describeTargetHealth(REGION, TARGET_GROUP_ARN);

      // Assess
      expect(targets).toEqual([]);
    });

    it('maps TargetGroupNotFound to target_group_not_found naming the ARN', async () => {
      // Prepare
      elbMock.on(DescribeTargetHealthCommand).rejects(
        new TargetGroupNotFoundException({
          message: 'One or more target groups not found',
          $metadata: { httpStatusCode: 400 },
        }),
      );

      // Act
      const act = newAdapter().describeTargetHealth(REGION, TARGET_GROUP_ARN);

      // Assess
      await expect(act).rejects.toBeInstanceOf(CodedError);
      await expect(act).rejects.toMatchObject({
        code: 'target_group_not_found',
        message: expect.stringContaining(TARGET_GROUP_ARN),
      });
    });
  });
});
