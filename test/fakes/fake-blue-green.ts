/**
 * Scripts a blue/green, linear or canary deployment on the fake world: the service reports the
 * strategy, and our UpdateService starts a service-deployment record that walks a list of frames
 * (one per DescribeServiceDeployments), waits at PAUSE hooks until answered or expired, and
 * switches traffic back to blue on a ROLLBACK (ours, or a hook's timeout action).
 */
import type {
  DeploymentStrategyKind,
  HookAction,
  LifecycleStage,
  ServiceDeployment,
} from '../../src/engine/service-deployment';
import { serviceDeployment } from './fake-aws';
import type { TestEngine } from './index';

export const BLUE_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend-tg/0123456789abcdef';
export const GREEN_TG =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend-tg-green/fedcba9876543210';

export interface Frame {
  stage: LifecycleStage;
  /** Percent of production / test traffic on green at this frame. */
  production?: number;
  test?: number;
  /** A PAUSE hook waits here until answered or expired. */
  pause?: boolean;
  /** The deployment's CloudWatch alarm goes off. */
  alarm?: boolean;
  /** Green starts failing its smoke checks on production traffic. */
  sick?: boolean;
}

export interface BlueGreenScript {
  strategy: Exclude<DeploymentStrategyKind, 'ROLLING'>;
  frames: Frame[];
  hook?: { timeoutAction: HookAction; timeoutMs: number };
  bakeTimeInMinutes?: number;
  /** ECS's own rollback ends ROLLBACK_FAILED. */
  rollbackFails?: boolean;
}

/** The stage walk up to the pause after test traffic moved (production still on blue). */
export const TO_TEST_PAUSE: Frame[] = [
  { stage: 'RECONCILE_SERVICE' },
  { stage: 'PRE_SCALE_UP' },
  { stage: 'SCALE_UP' },
  { stage: 'POST_SCALE_UP' },
  { stage: 'TEST_TRAFFIC_SHIFT', test: 100 },
  { stage: 'POST_TEST_TRAFFIC_SHIFT', test: 100, pause: true },
];

/** From production traffic moving (in `steps`) through bake and clean-up. */
export function afterPause(steps: number[], bake: Partial<Frame>[] = [{}]): Frame[] {
  return [
    ...steps.map((production) => ({ stage: 'PRODUCTION_TRAFFIC_SHIFT' as const, production, test: 100 })),
    { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', production: 100, test: 100 },
    ...bake.map((b) => ({ stage: 'BAKE_TIME' as const, production: 100, test: 100, ...b })),
    { stage: 'CLEAN_UP', production: 100, test: 100 },
  ];
}

export class FakeBlueGreen {
  record: ServiceDeployment | null = null;
  private frame = -1;
  private blueTaskDefinition = '';

  constructor(
    private readonly t: TestEngine,
    private readonly script: BlueGreenScript,
  ) {
    const { world } = t;
    world.deploymentStrategy = {
      controller: 'ECS',
      kind: script.strategy,
      bakeTimeInMinutes: script.bakeTimeInMinutes ?? 1,
      linear: script.strategy === 'LINEAR' ? { stepPercent: 25, stepBakeTimeInMinutes: 1 } : null,
      canary: script.strategy === 'CANARY' ? { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } : null,
      lifecycleHooks: script.hook
        ? [
            {
              targetType: 'PAUSE',
              hookTargetArn: null,
              stages: ['POST_TEST_TRAFFIC_SHIFT'],
              timeoutInMinutes: script.hook.timeoutMs / 60_000,
              timeoutAction: script.hook.timeoutAction,
            },
          ]
        : [],
      loadBalancers: [
        {
          targetGroupArn: BLUE_TG,
          containerName: 'backend',
          containerPort: 8080,
          alternateTargetGroupArn: GREEN_TG,
          productionListenerRule: 'rule/prod',
          testListenerRule: 'rule/test',
        },
      ],
      alarms: { enable: true, rollback: true, alarmNames: ['backend-5xx'] },
    };
    const ecs = world.ecs;
    const { updateService, describeServiceDeployments } = ecs;
    ecs.updateService = async (region, input) => {
      const blue = world.primary().taskDefinition;
      const answer = await updateService(region, input);
      if (input.taskDefinition && !this.record) this.start(blue, input.taskDefinition);
      return answer;
    };
    ecs.describeServiceDeployments = async (region, arns) => {
      this.advance();
      return describeServiceDeployments(region, arns);
    };
  }

  /** Stages and production weights the record went through (in order, repeats removed). */
  readonly seen: { stage: LifecycleStage | null; production: number | null }[] = [];

  private start(blue: string, green: string): void {
    const { world, clock } = this.t;
    this.blueTaskDefinition = blue;
    this.record = serviceDeployment({
      arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/backend-svc/sd-bg',
      createdAt: new Date(clock.now()),
      targetTaskDefinition: green,
      sourceTaskDefinitions: [blue],
      strategy: this.script.strategy,
      bakeTimeInMinutes: this.script.bakeTimeInMinutes ?? 1,
      alarms: { status: 'MONITORING', alarmNames: ['backend-5xx'], triggeredAlarmNames: [] },
    });
    world.serviceDeploymentRecords.push(this.record);
    // Green scales up beside blue; the rolling fake never completes it by itself.
    const s = world.service();
    s.scenario = 'stuck';
    for (const d of s.deployments) d.runningCount = d.desiredCount;
  }

  private advance(): void {
    const r = this.record;
    if (!r) return;
    const { world, clock, http } = this.t;
    if (r.status === 'ROLLBACK_REQUESTED') {
      r.status = 'ROLLBACK_IN_PROGRESS';
      r.targetRevision = { ...r.targetRevision!, productionTrafficWeight: 0, testTrafficWeight: 0 };
      http.failing.clear(); // production is back on blue
      return;
    }
    if (r.status === 'ROLLBACK_IN_PROGRESS') {
      r.status = this.script.rollbackFails ? 'ROLLBACK_FAILED' : 'ROLLBACK_SUCCESSFUL';
      if (!this.script.rollbackFails) {
        world.service().deployments = [
          {
            id: 'ecs-svc/blue',
            status: 'PRIMARY',
            taskDefinition: this.blueTaskDefinition,
            desiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
            failedTasks: 0,
            rolloutState: 'COMPLETED',
          },
        ];
      }
      return;
    }
    if (r.status !== 'IN_PROGRESS') return;
    const waiting = r.hooks.find((h) => h.status === 'AWAITING_ACTION');
    if (waiting) {
      if (clock.now() < waiting.expiresAt!.getTime()) return;
      waiting.status = 'TIMED_OUT';
      if (waiting.timeoutAction === 'ROLLBACK') {
        r.status = 'ROLLBACK_IN_PROGRESS';
        r.rollback = {
          reason: `lifecycle hook ${waiting.hookId} timed out`,
          startedAt: new Date(clock.now()),
          serviceRevisionArn: null,
          toTaskDefinition: this.blueTaskDefinition,
        };
        r.targetRevision = { ...r.targetRevision!, productionTrafficWeight: 0, testTrafficWeight: 0 };
        return;
      }
    }
    this.frame += 1;
    const f = this.script.frames.at(this.frame);
    if (!f) {
      r.status = 'SUCCESSFUL';
      const green = world.primary();
      Object.assign(green, { rolloutState: 'COMPLETED', runningCount: green.desiredCount });
      world.service().deployments = [green];
      return;
    }
    r.lifecycleStage = f.stage;
    r.targetRevision = {
      arn: 'rev-green',
      taskDefinition: r.targetTaskDefinition,
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
      productionTrafficWeight: f.production ?? 0,
      testTrafficWeight: f.test ?? 0,
    };
    this.seen.push({ stage: f.stage, production: f.production ?? 0 });
    if (f.pause && this.script.hook) {
      r.hooks.push({
        hookId: `hook-${this.frame}`,
        targetType: 'PAUSE',
        targetArn: null,
        status: 'AWAITING_ACTION',
        expiresAt: new Date(clock.now() + this.script.hook.timeoutMs),
        timeoutAction: this.script.hook.timeoutAction,
      });
    }
    if (f.alarm) r.alarms = { status: 'TRIGGERED', alarmNames: ['backend-5xx'], triggeredAlarmNames: ['backend-5xx'] };
    if (f.sick) http.failing.set('readiness', { severity: 'fail', reason: 'HTTP 500 from /api/v1/health/ready' });
  }
}

export function scriptBlueGreen(t: TestEngine, script: BlueGreenScript): FakeBlueGreen {
  return new FakeBlueGreen(t, script);
}
