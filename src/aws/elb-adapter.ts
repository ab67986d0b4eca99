import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ElbPort } from '../engine/ports';
import type { TargetHealth } from '../engine/types';
import { AwsErrorCodes, callAws } from './aws-errors';
import type { ClientFactory } from './client-factory';

/** Both spellings: the SDK's modelled name and the raw Query-protocol code. */
export const TARGET_GROUP_NOT_FOUND = ['TargetGroupNotFoundException', 'TargetGroupNotFound'];

/** ELBv2 through the SDK: target health. */
export class ElbAdapter implements ElbPort {
  constructor(private readonly clientFor: ClientFactory<ElasticLoadBalancingV2Client>) {}

  /**
   * Every registered target with its exact state (`healthy`, `unhealthy`, `draining`, …) as ELB reports it.
   * @throws CodedError `target_group_not_found`.
   */
  async describeTargetHealth(region: string, targetGroupArn: string): Promise<TargetHealth[]> {
    const out = await callAws(
      {
        api: 'ELBv2',
        operation: 'DescribeTargetHealth',
        notFound: {
          names: TARGET_GROUP_NOT_FOUND,
          code: AwsErrorCodes.targetGroupNotFound,
          message: `target group ${targetGroupArn} not found`,
        },
      },
      () => this.clientFor(region).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    );
    return (out.TargetHealthDescriptions ?? []).map((d) => ({
      id: d.Target?.Id ?? '',
      port: d.Target?.Port,
      // Kept verbatim: callers compare it exactly, so `unhealthy` never passes for `healthy`.
      state: d.TargetHealth?.State ?? 'unknown',
      reason: d.TargetHealth?.Reason,
      description: d.TargetHealth?.Description,
    }));
  }
}
