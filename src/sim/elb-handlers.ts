/** The simulated ELBv2 API (Query protocol, `Version=2015-12-01`, XML answers). */
import type { Handler } from './ecs-handlers';
import { arn } from './ids';
import { activeBlueGreen, greenTargetGroup } from './bluegreen';
import { allServices, type SimService, type SimState, type SimTarget, type SimTargetGroup } from './model';
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
  const service = group.service;
  const targets = service.targets.filter((t) => t.targetGroupArn === group.arn);
  const asked = Array.isArray(params.Targets) ? (params.Targets as { Id?: string; Port?: string }[]) : undefined;
  if (!asked) return { TargetHealthDescriptions: targets.map(healthDescription) };
  return {
    TargetHealthDescriptions: asked.map((t, i) => {
      const known = targets.find((k) => k.id === t.Id && (t.Port === undefined || String(k.port) === t.Port));
      if (known) return healthDescription(known, i);
      return {
        Target: { Id: t.Id, Port: t.Port ? Number(t.Port) : undefined },
        TargetHealth: {
          State: 'unused',
          Reason: 'Target.NotRegistered',
          Description: 'Target is not registered to the target group',
        },
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

/** Header the test listener rule matches, so test traffic can also reach green through the production URL. */
export const TEST_TRAFFIC_HEADER = { name: 'x-ecs-test-traffic', value: 'green' } as const;

/** The target groups a listener rule forwards to now, with weights (percent). */
function forwardWeights(
  service: SimService,
  lane: 'production' | 'test',
): { TargetGroupArn: string; Weight: number }[] {
  const blue = service.blueGreen.productionTargetGroupArn;
  const record = activeBlueGreen(service);
  const share = record?.traffic ? record.traffic[lane] : 0;
  const weights = [{ TargetGroupArn: blue, Weight: 100 - share }];
  if (record?.traffic) weights.push({ TargetGroupArn: greenTargetGroup(service), Weight: share });
  return weights;
}

function describeRule(service: SimService, lane: 'production' | 'test'): Record<string, unknown> {
  const ruleArn = lane === 'production' ? service.blueGreen.productionListenerRule : service.blueGreen.testListenerRule;
  const TargetGroups = forwardWeights(service, lane);
  const conditions =
    lane === 'production'
      ? [{ Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } }]
      : [
          {
            Field: 'http-header',
            HttpHeaderConfig: { HttpHeaderName: TEST_TRAFFIC_HEADER.name, Values: [TEST_TRAFFIC_HEADER.value] },
          },
        ];
  return {
    RuleArn: ruleArn,
    Priority: lane === 'production' ? '10' : '5',
    Conditions: conditions,
    Actions: [
      { Type: 'forward', Order: 1, ForwardConfig: { TargetGroups, TargetGroupStickinessConfig: { Enabled: false } } },
    ],
    IsDefault: false,
  };
}

function findRule(state: SimState, ruleArn: string): Record<string, unknown> | undefined {
  for (const service of allServices(state)) {
    if (service.blueGreen.productionListenerRule === ruleArn) return describeRule(service, 'production');
    if (service.blueGreen.testListenerRule === ruleArn) return describeRule(service, 'test');
  }
  return undefined;
}

/** DescribeRules by RuleArns: the blue/green listener rules and where they forward traffic now. */
const describeRules: Handler = (state, params) => {
  if (!Array.isArray(params.RuleArns))
    throw new AwsError('ValidationError', 'RuleArns is required (ListenerArn is not supported by the simulator).');
  const Rules = (params.RuleArns as string[]).map((ruleArn) => {
    const rule = findRule(state, ruleArn);
    if (!rule) throw new AwsError('RuleNotFound', 'One or more rules not found');
    return rule;
  });
  return { Rules };
};

export const elbHandlers: Record<string, Handler> = {
  DescribeTargetHealth: describeTargetHealth,
  DescribeTargetGroups: describeTargetGroups,
  DescribeRules: describeRules,
};
