/** The simulated ELBv2 API (Query protocol, `Version=2015-12-01`, XML answers). */
import type { Handler } from './ecs-handlers';
import { arn } from './ids';
import type { SimTarget, SimTargetGroup } from './model';
import { AwsError } from './wire';

export const ELB_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
export const ELB_VERSION = '2015-12-01';

const ZONES = ['us-east-1a', 'us-east-1b'];

function notFound(): AwsError {
  return new AwsError('TargetGroupNotFound', 'One or more target groups not found');
}

const REASONS: Record<SimTarget['state'], { Reason?: string; Description?: string }> = {
  initial: { Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' },
  healthy: {},
  unhealthy: { Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [502]' },
  draining: { Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
};

function healthDescription(target: SimTarget, index: number): Record<string, unknown> {
  return {
    Target: { Id: target.id, Port: target.port, AvailabilityZone: ZONES[index % ZONES.length] },
    HealthCheckPort: String(target.port),
    TargetHealth: { State: target.state, ...REASONS[target.state] },
  };
}

const describeTargetHealth: Handler = (state, params) => {
  const group = typeof params.TargetGroupArn === 'string' ? state.targetGroups.get(params.TargetGroupArn) : undefined;
  if (!group) throw notFound();
  const targets = group.service.targets;
  const asked = Array.isArray(params.Targets) ? (params.Targets as { Id?: string; Port?: string }[]) : undefined;
  if (!asked) return { TargetHealthDescriptions: targets.map(healthDescription) };
  return {
    TargetHealthDescriptions: asked.map((t, i) => {
      const known = targets.find((k) => k.id === t.Id && (t.Port === undefined || String(k.port) === t.Port));
      if (known) return healthDescription(known, i);
      return {
        Target: { Id: t.Id, Port: t.Port ? Number(t.Port) : undefined },
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
      };
    }),
  };
};

function describeGroup(group: SimTargetGroup): Record<string, unknown> {
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: 'HTTP',
    Port: group.port,
    VpcId: 'vpc-0abc1234def567890',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: '/api/v1/health/live',
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: [arn.loadBalancer('demo-alb')],
    TargetType: 'ip',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

const describeTargetGroups: Handler = (state, params) => {
  const all = [...state.targetGroups.values()];
  let groups = all;
  if (Array.isArray(params.TargetGroupArns)) {
    groups = (params.TargetGroupArns as string[]).map((a) => {
      const group = state.targetGroups.get(a);
      if (!group) throw notFound();
      return group;
    });
  } else if (Array.isArray(params.Names)) {
    groups = all.filter((g) => (params.Names as string[]).includes(g.name));
    if (groups.length !== params.Names.length) throw notFound();
  }
  return { TargetGroups: groups.map(describeGroup) };
};

export const elbHandlers: Record<string, Handler> = {
  DescribeTargetHealth: describeTargetHealth,
  DescribeTargetGroups: describeTargetGroups,
};
