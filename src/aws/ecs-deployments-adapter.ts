import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  type ServiceDeployment as SdkServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  isApiUnavailable,
  ServiceDeploymentErrorCodes,
  type HookAction,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  type ServiceDeploymentSummary,
  type StoppedTask,
  type StopType,
} from '../engine/service-deployment';
import { CodedError, ErrorCodes } from '../errors';
import type { Logger } from '../logger';
import { ApiAvailability, answerOnce } from './api-availability';
import { callAws, type NotFoundRule } from './aws-errors';
import type { ClientFactory } from './client-factory';
import {
  revisionArnsOf,
  toServiceDeployment,
  toServiceDeploymentSummary,
  toStoppedTask,
} from './ecs-deployments-mapping';

/** DescribeServiceDeployments and DescribeServiceRevisions accept at most 20 ARNs a call. */
const ARN_BATCH = 20;
/** ListServiceDeployments pages read before stopping (newest deployments come first). */
const LIST_PAGES = 3;
const LIST_PAGE_SIZE = 20;
/** ListTasks page size; ECS keeps stopped tasks for about an hour, so one page is plenty. */
const STOPPED_TASKS_PAGE = 100;
const DEFAULT_STOPPED_TASKS = 20;
/** Service revisions never change: their task definitions are kept, up to this many. */
const REVISION_CACHE_SIZE = 500;

const JUDGE_FROM_ARRAY = 'judges the rollout from the service’s deployments array';
const STOP_BY_UPDATE = 'rolls back with UpdateService to the previous task definition';
const EVENTS_ONLY = 'judges stuck rollouts from service events only';

export interface DeploymentsAdapterOptions {
  /** Gets one line when a service-deployment operation turns out not to answer at this endpoint. */
  logger?: Logger;
  /** Clock and pause of the availability tracker (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** ECS service deployments (ECS's record of each deployment) and stopped tasks. */
export class EcsDeploymentsAdapter {
  private readonly revisionTaskDefinitions = new Map<string, string>();
  /** Regions where DescribeServiceRevisions is missing or denied: not asked again. */
  private readonly revisionsUnavailable = new Set<string>();

  /** Whether each service-deployment operation answers here at all (emulators and proxies may lack them). */
  private readonly availability: ApiAvailability;

  constructor(
    private readonly clientFor: ClientFactory<ECSClient>,
    options: DeploymentsAdapterOptions = {},
  ) {
    this.availability = new ApiAvailability({ api: 'ECS', ...options });
  }

  /**
   * The service's deployments, newest first, reading at most a few pages.
   * @throws CodedError `api_unavailable` when the API is missing or denied; `service_not_found`.
   */
  async listServiceDeployments(
    region: string,
    cluster: string,
    service: string,
    opts: { createdAfter?: Date; status?: ServiceDeploymentStatus[] } = {},
  ): Promise<ServiceDeploymentSummary[]> {
    const found: ServiceDeploymentSummary[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < LIST_PAGES; page += 1) {
      const command = new ListServiceDeploymentsCommand({
        cluster,
        service,
        maxResults: LIST_PAGE_SIZE,
        ...(opts.status?.length ? { status: opts.status } : {}),
        ...(opts.createdAfter ? { createdAt: { after: opts.createdAfter } } : {}),
        ...(nextToken ? { nextToken } : {}),
      });
      const out = await this.callSd(
        region,
        'ListServiceDeployments',
        JUDGE_FROM_ARRAY,
        (c, once) => c.send(answerOnce(command, once)),
        serviceGone(cluster, service, region),
      );
      found.push(...(out.serviceDeployments ?? []).map(toServiceDeploymentSummary));
      nextToken = out.nextToken || undefined;
      if (!nextToken) break;
    }
    return found.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  }

  /**
   * Describes deployments by ARN, in the order asked; ARNs ECS does not know (yet) are left out.
   * Target and source task definitions come from DescribeServiceRevisions where it answers.
   * @throws CodedError `api_unavailable` when the API is missing or denied.
   */
  async describeServiceDeployments(region: string, arns: string[]): Promise<ServiceDeployment[]> {
    const described: SdkServiceDeployment[] = [];
    for (let i = 0; i < arns.length; i += ARN_BATCH) {
      const command = new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns.slice(i, i + ARN_BATCH) });
      const out = await this.callSd(region, 'DescribeServiceDeployments', JUDGE_FROM_ARRAY, (c, once) =>
        c.send(answerOnce(command, once)),
      );
      described.push(...(out.serviceDeployments ?? []));
    }
    const taskDefinitions = await this.resolveRevisions(region, described.flatMap(revisionArnsOf));
    const byArn = new Map(described.map((d) => [d.serviceDeploymentArn, d]));
    return arns.flatMap((arn) => {
      const d = byArn.get(arn);
      return d ? [toServiceDeployment(d, taskDefinitions)] : [];
    });
  }

  /**
   * Asks ECS to stop an in-flight deployment (`ROLLBACK`: back to the previous revision).
   * @throws CodedError `service_deployment_not_found`, `service_deployment_conflict`, `api_unavailable`.
   */
  async stopServiceDeployment(region: string, arn: string, stopType: StopType): Promise<void> {
    const command = new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType });
    await this.callSd(region, 'StopServiceDeployment', STOP_BY_UPDATE, (c, once) => c.send(answerOnce(command, once)), [
      deploymentNotFound(arn),
      {
        names: ['ConflictException'],
        code: ServiceDeploymentErrorCodes.serviceDeploymentConflict,
        message: `ECS would not stop service deployment ${arn}: it is not in a state that can be stopped (finished or already stopping)`,
      },
    ]);
  }

  /**
   * Answers the paused lifecycle hook `hookId` (or the one awaiting action) with CONTINUE or ROLLBACK.
   * @throws CodedError `no_paused_hook`, `service_deployment_not_found`, `api_unavailable`.
   */
  async continueServiceDeployment(
    region: string,
    arn: string,
    hookId: string | undefined,
    action: HookAction,
  ): Promise<void> {
    const hook = hookId ?? (await this.awaitingHookId(region, arn));
    const command = new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook, action });
    const fallback = 'cannot answer the paused deployment; use the ECS console or CLI';
    await this.callSd(
      region,
      'ContinueServiceDeployment',
      fallback,
      (c, once) => c.send(answerOnce(command, once)),
      deploymentNotFound(arn),
    );
  }

  private async awaitingHookId(region: string, arn: string): Promise<string> {
    const deployment = (await this.describeServiceDeployments(region, [arn])).at(0);
    if (!deployment)
      throw new CodedError(
        ServiceDeploymentErrorCodes.serviceDeploymentNotFound,
        `ECS service deployment ${arn} not found in ${region}`,
      );
    const hook = deployment.hooks.find((h) => h.status === 'AWAITING_ACTION');
    if (!hook) {
      const stage = deployment.lifecycleStage ? ` at ${deployment.lifecycleStage}` : '';
      throw new CodedError(
        ServiceDeploymentErrorCodes.noPausedHook,
        `ECS service deployment ${arn} is ${deployment.status}${stage} and waits at no lifecycle hook: nothing to continue or roll back`,
        { details: { arn, status: deployment.status } },
      );
    }
    return hook.hookId;
  }

  /**
   * The service's stopped tasks since `since`, newest first: one ListTasks page and one DescribeTasks.
   * @throws CodedError `api_unavailable` when ListTasks or DescribeTasks is denied; `service_not_found`.
   */
  async listStoppedTasks(
    region: string,
    cluster: string,
    service: string,
    since: Date,
    limit = DEFAULT_STOPPED_TASKS,
  ): Promise<StoppedTask[]> {
    const list = new ListTasksCommand({
      cluster,
      serviceName: service,
      desiredStatus: 'STOPPED',
      maxResults: STOPPED_TASKS_PAGE,
    });
    const listed = await this.call(
      region,
      'ListTasks',
      EVENTS_ONLY,
      (c) => c.send(list),
      serviceGone(cluster, service, region),
    );
    const taskArns = listed.taskArns ?? [];
    if (taskArns.length === 0) return [];
    const describe = new DescribeTasksCommand({ cluster, tasks: taskArns });
    const described = await this.call(
      region,
      'DescribeTasks',
      EVENTS_ONLY,
      (c) => c.send(describe),
      serviceGone(cluster, service, region),
    );
    return (described.tasks ?? [])
      .map(toStoppedTask)
      .filter((t): t is StoppedTask => t !== null && (t.stoppedAt === null || t.stoppedAt.getTime() >= since.getTime()))
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .slice(0, limit);
  }

  /** Task definitions of the given revisions: cached ones, then one call per 20 unknown; none when the API is unavailable. */
  private async resolveRevisions(region: string, arns: string[]): Promise<Map<string, string>> {
    const unknown = [...new Set(arns)].filter((a) => !this.revisionTaskDefinitions.has(a));
    for (let i = 0; i < unknown.length && !this.revisionsUnavailable.has(region); i += ARN_BATCH) {
      const command = new DescribeServiceRevisionsCommand({ serviceRevisionArns: unknown.slice(i, i + ARN_BATCH) });
      try {
        const out = await this.callSd(region, 'DescribeServiceRevisions', JUDGE_FROM_ARRAY, (c, once) =>
          c.send(answerOnce(command, once)),
        );
        for (const r of out.serviceRevisions ?? []) {
          if (r.serviceRevisionArn && r.taskDefinition) this.remember(r.serviceRevisionArn, r.taskDefinition);
        }
      } catch (err) {
        // Without revisions the deployment is still worth returning; its task definitions stay unknown.
        if (!isApiUnavailable(err)) throw err;
        this.revisionsUnavailable.add(region);
      }
    }
    return this.revisionTaskDefinitions;
  }

  private remember(revisionArn: string, taskDefinition: string): void {
    if (this.revisionTaskDefinitions.size >= REVISION_CACHE_SIZE) {
      const oldest = this.revisionTaskDefinitions.keys().next().value;
      if (oldest !== undefined) this.revisionTaskDefinitions.delete(oldest);
    }
    this.revisionTaskDefinitions.set(revisionArn, taskDefinition);
  }

  private call<T>(
    region: string,
    operation: string,
    fallback: string,
    run: (client: ECSClient) => Promise<T>,
    notFound?: NotFoundRule | NotFoundRule[],
  ): Promise<T> {
    return callAws({ api: 'ECS', operation, fallback, notFound }, () => run(this.clientFor(region)));
  }

  /** A service-deployment call: not made while the API is judged absent here (see ApiAvailability). */
  private callSd<O>(
    region: string,
    operation: string,
    fallback: string,
    run: (client: ECSClient, once: boolean) => Promise<O>,
    notFound?: NotFoundRule | NotFoundRule[],
  ): Promise<O> {
    return this.call(
      region,
      operation,
      fallback,
      (client) => this.availability.run(region, operation, fallback, (once) => run(client, once)),
      notFound,
    );
  }
}

/** The not-found rule of a call on one service: ECS saying the service or its cluster is gone, or the service is not active, becomes `service_not_found`. */
export function serviceGone(cluster: string, service: string, region: string): NotFoundRule {
  return {
    names: ['ServiceNotFoundException', 'ServiceNotActiveException', 'ClusterNotFoundException'],
    code: ErrorCodes.serviceNotFound,
    message: `ECS service ${service} not found (or not active) in cluster ${cluster} (${region})`,
  };
}

function deploymentNotFound(arn: string): NotFoundRule {
  return {
    names: ['ServiceDeploymentNotFoundException'],
    code: ServiceDeploymentErrorCodes.serviceDeploymentNotFound,
    message: `ECS service deployment ${arn} not found`,
  };
}
