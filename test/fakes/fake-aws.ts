/**
 * An in-memory ECS/ECR/ELB/Logs world implementing our ports, stepped on every DescribeServices.
 * Flag-driven like fabfuel's fake client: `world.next = 'circuit-breaker'` shapes the next rollout.
 */
import { CodedError, ErrorCodes } from '../../src/errors';
import type { EcrPort, EcsPort, ElbPort, LogsPort } from '../../src/engine/ports';
import {
  ServiceDeploymentErrorCodes,
  isTerminal,
  type DeploymentStrategyInfo,
  type ServiceDeployment,
  type StoppedTask,
} from '../../src/engine/service-deployment';
import type {
  Deployment,
  ImageRef,
  LogEvent,
  LogQuery,
  LogQueryResult,
  ServiceState,
  TargetHealth,
  TaskDefinition,
  UpdateServiceInput,
} from '../../src/engine/types';
import type { FakeClock } from './fake-clock';
import { FakeLiveTail } from './fake-live-tail';

export type RolloutScenario = 'healthy' | 'circuit-breaker' | 'failed' | 'stuck';

export interface Call {
  port: 'ecr' | 'ecs' | 'elb' | 'logs';
  op: string;
  args: unknown[];
}

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const sha = (n: number) => `${String(n).repeat(7).slice(0, 7)}${'0'.repeat(33)}`.slice(0, 40);
export const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** How the fake answers the service-deployment calls: as ECS does, denied by IAM, or not known (older ECS, emulators). */
export type ServiceDeploymentsApi = 'available' | 'denied' | 'missing';

/** A complete service-deployment record for scripting, IN_PROGRESS on `backend-svc` unless told otherwise. */
export function serviceDeployment(o: Partial<ServiceDeployment> = {}): ServiceDeployment {
  const id = o.arn?.split('/').pop() ?? 'sd-1';
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/backend-svc/${id}`,
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/backend-svc',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    status: 'IN_PROGRESS',
    statusReason: null,
    targetServiceRevisionArn: `arn:aws:ecs:us-east-1:123456789012:service-revision/prod/backend-svc/rev-${id}`,
    createdAt: null,
    startedAt: null,
    finishedAt: null,
    stoppedAt: null,
    updatedAt: null,
    targetRevision: null,
    sourceRevisions: [],
    targetTaskDefinition: null,
    sourceTaskDefinitions: [],
    rollback: null,
    circuitBreaker: null,
    alarms: null,
    lifecycleStage: null,
    strategy: 'ROLLING',
    bakeTimeInMinutes: null,
    hooks: [],
    ...o,
  };
}

interface FakeService {
  cluster: string;
  name: string;
  desired: number;
  deployments: Deployment[];
  events: { id: string; createdAt: Date; message: string }[];
  /** What happens to the deployment being rolled out. */
  scenario: RolloutScenario;
}

export class FakeAwsWorld {
  readonly calls: Call[] = [];
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  readonly images = new Map<string, { digest: string; sha: string }>();
  readonly services = new Map<string, FakeService>();
  readonly logs: LogEvent[] = [];
  /** What `openLiveTail` answers: a stream tests push lines into, or a denial. */
  readonly liveTail = new FakeLiveTail();
  /** Scenario for the next UpdateService to a new revision; rollbacks to known revisions use `rollbackScenario`. */
  next: RolloutScenario = 'healthy';
  rollbackScenario: RolloutScenario = 'healthy';
  /** Target state per task-definition ARN (default healthy). */
  targetState = new Map<string, string>();
  /** At most this many targets registered (a target group shared or a task never registered). */
  targetLimit = Number.POSITIVE_INFINITY;
  /** Task definitions that ever ran before an update (rollback targets). */
  private readonly ranBefore = new Set<string>();
  /** Errors to throw on the next calls of an operation. */
  failNext = new Map<string, CodedError[]>();
  /** Whether ListServiceDeployments, DescribeServiceDeployments, Stop and Continue answer. */
  serviceDeployments: ServiceDeploymentsApi = 'available';
  /** Scripted service-deployment records (tests add and edit them); Stop and Continue change their status. */
  readonly serviceDeploymentRecords: ServiceDeployment[] = [];
  /** What listStoppedTasks answers (filtered by `since`). */
  readonly stoppedTasks: StoppedTask[] = [];
  /** The strategy describeServices reports (none: the adapter's absent field, a rolling service). */
  deploymentStrategy: DeploymentStrategyInfo | undefined;
  private seq = 0;

  constructor(readonly clock: FakeClock) {}

  /**
   * Seeds `backend`: cluster `prod`, family `backend-prod` revision 1 running image 1, with a sidecar.
   * `imageUri` runs another image; `container` names the service's container (default `backend`).
   */
  seedService(
    o: {
      cluster?: string;
      name?: string;
      family?: string;
      desired?: number;
      revision?: number;
      image?: number;
      imageUri?: string;
      container?: string;
    } = {},
  ): TaskDefinition {
    const cluster = o.cluster ?? 'prod';
    const name = o.name ?? 'backend-svc';
    const family = o.family ?? 'backend-prod';
    for (let i = 1; i <= 5; i++) this.images.set(sha(i).slice(0, 7), { digest: digest(i), sha: sha(i) });
    const td = this.addTaskDefinition(
      family,
      o.revision ?? 1,
      o.imageUri ?? `${REGISTRY}/backend@${digest(o.image ?? 1)}`,
      o.container,
    );
    const desired = o.desired ?? 2;
    this.services.set(`${cluster}/${name}`, {
      cluster,
      name,
      desired,
      scenario: 'healthy',
      deployments: [
        {
          id: 'ecs-svc/0',
          status: 'PRIMARY',
          taskDefinition: td.arn,
          desiredCount: desired,
          runningCount: desired,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
        },
      ],
      events: [
        {
          id: 'e0',
          createdAt: new Date(this.clock.now() - 60_000),
          message: `(service ${name}) has reached a steady state.`,
        },
      ],
    });
    return td;
  }

  addTaskDefinition(family: string, revision: number, image: string, container = 'backend'): TaskDefinition {
    const arn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
    const td: TaskDefinition = {
      arn,
      family,
      revision,
      containers: [
        { name: container, image, essential: true },
        { name: 'log-router', image: `${REGISTRY}/fluent-bit:2.1`, essential: false },
      ],
      tags: [{ key: 'team', value: 'platform' }],
      registrable: {
        family,
        containerDefinitions: [
          { name: container, image },
          { name: 'log-router', image: `${REGISTRY}/fluent-bit:2.1` },
        ],
      },
    };
    this.taskDefinitions.set(arn, td);
    return td;
  }

  service(key = 'prod/backend-svc'): FakeService {
    return this.services.get(key)!;
  }

  primary(key?: string): Deployment {
    return this.service(key).deployments.find((d) => d.status === 'PRIMARY')!;
  }

  writes(): Call[] {
    return this.calls.filter((c) => c.op === 'registerRevision' || c.op === 'updateService');
  }

  private record(port: Call['port'], op: string, args: unknown[]): void {
    this.calls.push({ port, op, args });
    const queued = this.failNext.get(op);
    const next = queued?.shift();
    if (next) throw next;
  }

  private event(s: FakeService, message: string): void {
    this.events_push(s, `(service ${s.name}) ${message}`);
  }
  private events_push(s: FakeService, message: string): void {
    s.events.unshift({ id: `e${++this.seq}`, createdAt: new Date(this.clock.now()), message });
  }

  /** One step of ECS: tasks start or stop, rollouts finish or fail. */
  private step(s: FakeService): void {
    const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
    const others = s.deployments.filter((d) => d !== primary);
    const scenario = primary.rolloutState === 'IN_PROGRESS' ? s.scenario : 'healthy';
    if (primary.rolloutState !== 'IN_PROGRESS') {
      // a desired-count change on a settled service
      if (primary.runningCount < primary.desiredCount) {
        primary.runningCount += 1;
        this.event(s, 'has started 1 tasks.');
      } else if (primary.runningCount > primary.desiredCount) {
        primary.runningCount -= 1;
        this.event(s, 'has stopped 1 running tasks.');
      }
      return;
    }
    if (scenario === 'stuck') return;
    if (scenario === 'circuit-breaker' || scenario === 'failed') {
      primary.failedTasks += 1;
      this.event(s, `has stopped 1 running tasks: task failed to start (essential container exited).`);
      if (primary.failedTasks < 3) return;
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      if (scenario === 'failed') return;
      const previous = others[0];
      primary.status = 'ACTIVE';
      previous.status = 'PRIMARY';
      previous.rolloutState = 'COMPLETED';
      previous.desiredCount = s.desired;
      s.deployments = [previous];
      this.event(
        s,
        `(deployment ${primary.id}) deployment failed: tasks failed to start. Rolling back to ${previous.id}.`,
      );
      this.event(s, 'has reached a steady state.');
      return;
    }
    if (primary.runningCount < primary.desiredCount) {
      primary.runningCount += 1;
      this.event(s, `has started 1 tasks: (task ${primary.id}-${primary.runningCount}).`);
      for (const o of others) o.runningCount = Math.max(0, o.runningCount - 1);
      return;
    }
    s.deployments = [primary];
    primary.rolloutState = 'COMPLETED';
    this.event(s, `(deployment ${primary.id}) deployment completed.`);
    this.event(s, 'has reached a steady state.');
  }

  snapshot(s: FakeService): ServiceState {
    const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
    const running = s.deployments.reduce((n, d) => n + d.runningCount, 0);
    return {
      cluster: s.cluster,
      serviceName: s.name,
      status: 'ACTIVE',
      taskDefinition: primary.taskDefinition,
      desiredCount: s.desired,
      runningCount: running,
      pendingCount: 0,
      deployments: s.deployments.map((d) => ({ ...d })),
      events: s.events.map((e) => ({ ...e })),
      circuitBreaker: { enable: true, rollback: true },
      ...(this.deploymentStrategy ? { deploymentStrategy: structuredClone(this.deploymentStrategy) } : {}),
    };
  }

  // ---------- ports ----------

  readonly ecr: EcrPort = {
    resolveImage: async (region, repository, tag): Promise<ImageRef> => {
      this.record('ecr', 'resolveImage', [region, repository, tag]);
      const found = this.images.get(tag.slice(0, 7));
      if (!found?.sha.startsWith(tag.toLowerCase())) {
        throw new CodedError(ErrorCodes.imageNotFound, `no image tagged ${tag} in ECR repository ${repository}`);
      }
      return { repository, tag, digest: found.digest, imageUri: `${REGISTRY}/${repository}@${found.digest}` };
    },
    tagsOfDigest: async (region, repository, wanted) => {
      this.record('ecr', 'tagsOfDigest', [region, repository, wanted]);
      return [...this.images.entries()].filter(([, i]) => i.digest === wanted).map(([tag]) => tag);
    },
  };

  readonly ecs: EcsPort = {
    describeServices: async (region, cluster, names) => {
      this.record('ecs', 'describeServices', [region, cluster, names]);
      return names.map((n) => {
        const s = this.services.get(`${cluster}/${n}`);
        if (!s) throw new CodedError(ErrorCodes.serviceNotFound, `service ${n} not found in cluster ${cluster}`);
        this.step(s);
        return this.snapshot(s);
      });
    },
    describeTaskDefinition: async (region, name) => {
      this.record('ecs', 'describeTaskDefinition', [region, name]);
      const all = [...this.taskDefinitions.values()];
      // A family name alone means its latest revision, as ECS answers.
      const latest = all
        .filter((t) => t.family === name)
        .sort((a, b) => b.revision - a.revision)
        .at(0);
      const td = latest ?? all.find((t) => t.arn === name || `${t.family}:${t.revision}` === name);
      if (!td) throw new CodedError(ErrorCodes.taskDefinitionNotFound, `task definition ${name} not found`);
      return td;
    },
    registerRevision: async (region, from, container, image) => {
      this.record('ecs', 'registerRevision', [region, from.arn, container, image]);
      if (!from.containers.some((c) => c.name === container))
        throw new CodedError(ErrorCodes.containerNotFound, `no container ${container}`);
      const revision =
        Math.max(...[...this.taskDefinitions.values()].filter((t) => t.family === from.family).map((t) => t.revision)) +
        1;
      const arn = `arn:aws:ecs:us-east-1:123456789012:task-definition/${from.family}:${revision}`;
      const td: TaskDefinition = {
        ...from,
        arn,
        revision,
        containers: from.containers.map((c) => (c.name === container ? { ...c, image } : { ...c })),
      };
      this.taskDefinitions.set(arn, td);
      return td;
    },
    updateService: async (region, input: UpdateServiceInput) => {
      this.record('ecs', 'updateService', [region, input]);
      const s = this.services.get(`${input.cluster}/${input.service}`)!;
      if (input.desiredCount !== undefined) {
        s.desired = input.desiredCount;
        for (const d of s.deployments) if (d.status === 'PRIMARY') d.desiredCount = input.desiredCount;
      }
      if (input.taskDefinition) {
        const old = s.deployments.find((d) => d.status === 'PRIMARY')!;
        this.ranBefore.add(old.taskDefinition);
        const isRollback = this.ranBefore.has(input.taskDefinition);
        s.scenario = isRollback ? this.rollbackScenario : this.next;
        for (const d of s.deployments) d.status = 'ACTIVE';
        s.deployments.unshift({
          id: `ecs-svc/${++this.seq}`,
          status: 'PRIMARY',
          taskDefinition: input.taskDefinition,
          desiredCount: s.desired,
          runningCount: 0,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: 'ECS deployment in progress.',
        });
        s.deployments = s.deployments.filter(
          (d) => d.status === 'PRIMARY' || d.runningCount > 0 || d.taskDefinition === old.taskDefinition,
        );
      }
      return this.snapshot(s);
    },
    listServiceDeployments: async (region, cluster, service, opts) => {
      this.record('ecs', 'listServiceDeployments', [region, cluster, service, opts]);
      this.serviceDeploymentsAnswer('ListServiceDeployments');
      return this.serviceDeploymentRecords
        .filter((d) => d.serviceArn.endsWith(`/${cluster}/${service}`))
        .filter((d) => !opts?.status?.length || opts.status.includes(d.status))
        .filter((d) => !opts?.createdAfter || (d.createdAt !== null && d.createdAt >= opts.createdAfter))
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
        .map(
          ({
            arn,
            serviceArn,
            clusterArn,
            status,
            statusReason,
            targetServiceRevisionArn,
            createdAt,
            startedAt,
            finishedAt,
          }) => ({
            arn,
            serviceArn,
            clusterArn,
            status,
            statusReason,
            targetServiceRevisionArn,
            createdAt,
            startedAt,
            finishedAt,
          }),
        );
    },
    describeServiceDeployments: async (region, arns) => {
      this.record('ecs', 'describeServiceDeployments', [region, arns]);
      this.serviceDeploymentsAnswer('DescribeServiceDeployments');
      return arns.flatMap((arn) =>
        this.serviceDeploymentRecords.filter((d) => d.arn === arn).map((d) => structuredClone(d)),
      );
    },
    stopServiceDeployment: async (region, arn, stopType) => {
      this.record('ecs', 'stopServiceDeployment', [region, arn, stopType]);
      this.serviceDeploymentsAnswer('StopServiceDeployment');
      const d = this.serviceDeploymentRecord(arn);
      if (isTerminal(d))
        throw new CodedError(
          ServiceDeploymentErrorCodes.serviceDeploymentConflict,
          `service deployment ${arn} is ${d.status}`,
        );
      d.status = stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
    },
    continueServiceDeployment: async (region, arn, hookId, action) => {
      this.record('ecs', 'continueServiceDeployment', [region, arn, hookId, action]);
      this.serviceDeploymentsAnswer('ContinueServiceDeployment');
      const d = this.serviceDeploymentRecord(arn);
      const hook = d.hooks.find((h) => h.status === 'AWAITING_ACTION' && (hookId === undefined || h.hookId === hookId));
      if (!hook)
        throw new CodedError(ServiceDeploymentErrorCodes.noPausedHook, `service deployment ${arn} waits at no hook`);
      hook.status = 'SUCCEEDED';
      if (action === 'ROLLBACK') d.status = 'ROLLBACK_REQUESTED';
    },
    listStoppedTasks: async (region, cluster, service, since, limit = 20) => {
      this.record('ecs', 'listStoppedTasks', [region, cluster, service, since, limit]);
      return this.stoppedTasks
        .filter((t) => t.stoppedAt === null || t.stoppedAt >= since)
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
        .slice(0, limit);
    },
  };

  /** Throws what the adapter throws when the service-deployment API is denied or missing. */
  private serviceDeploymentsAnswer(operation: string): void {
    if (this.serviceDeployments === 'available') return;
    const why = this.serviceDeployments === 'denied' ? 'was denied' : 'is not available at this endpoint';
    throw new CodedError(
      ServiceDeploymentErrorCodes.apiUnavailable,
      `ECS ${operation} ${why}; the tool judges the rollout from the service’s deployments array instead`,
    );
  }

  private serviceDeploymentRecord(arn: string): ServiceDeployment {
    const d = this.serviceDeploymentRecords.find((r) => r.arn === arn);
    if (!d)
      throw new CodedError(
        ServiceDeploymentErrorCodes.serviceDeploymentNotFound,
        `service deployment ${arn} not found`,
      );
    return d;
  }

  readonly elb: ElbPort = {
    describeTargetHealth: async (region, arn) => {
      this.record('elb', 'describeTargetHealth', [region, arn]);
      const s = [...this.services.values()][0];
      const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
      const state = this.targetState.get(primary.taskDefinition) ?? 'healthy';
      const targets: TargetHealth[] = [];
      for (let i = 0; i < Math.min(primary.runningCount, this.targetLimit); i++) {
        targets.push({
          id: `10.0.1.${10 + i}`,
          port: 8080,
          state,
          reason: state === 'unhealthy' ? 'Target.ResponseCodeMismatch' : undefined,
        });
      }
      return targets;
    },
  };

  readonly logsPort: LogsPort = {
    filterLogEvents: async (region, q: LogQuery): Promise<LogQueryResult> => {
      this.record('logs', 'filterLogEvents', [region, q]);
      const events = this.logs.filter((e) => e.timestamp.getTime() >= q.since && matchesPattern(e.message, q.pattern));
      return {
        events: events.slice(0, q.maxEvents ?? 1000),
        truncated: events.length > (q.maxEvents ?? 1000),
        pages: 1,
      };
    },
    openLiveTail: (region, query, signal) => {
      this.record('logs', 'openLiveTail', [region, query]);
      return this.liveTail.open_(query, signal);
    },
  };

  /** The git SHA whose image the PRIMARY deployment runs (what the app's version endpoint would say). */
  runningSha(key?: string): string | null {
    const td = this.taskDefinitions.get(this.primary(key).taskDefinition);
    const image = td?.containers.find((c) => c.name === 'backend')?.image ?? '';
    const d = image.slice(image.indexOf('@') + 1);
    return [...this.images.values()].find((i) => i.digest === d)?.sha ?? null;
  }
}

/** CloudWatch filter-pattern terms, as far as tests use them: all terms must appear, or any one of `?a ?b`. */
function matchesPattern(message: string, pattern: string | undefined): boolean {
  const terms = (pattern ?? '').split(/\s+/).filter(Boolean);
  if (terms.length && terms.every((t) => t.startsWith('?'))) return terms.some((t) => message.includes(t.slice(1)));
  return terms.every((t) => message.includes(t));
}
