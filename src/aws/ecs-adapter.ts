import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import type { EcsPort } from '../engine/ports';
import type { HookAction, ServiceDeploymentStatus, StopType } from '../engine/service-deployment';
import type { ServiceState, TaskDefinition, UpdateServiceInput } from '../engine/types';
import { CodedError, ErrorCodes, type ErrorCode } from '../errors';
import { callAws, safeAwsMessage } from './aws-errors';
import { type ClientFactory } from './client-factory';
import { EcsDeploymentsAdapter, serviceGone, type DeploymentsAdapterOptions } from './ecs-deployments-adapter';
import { buildRegisterInput, toServiceState, toTaskDefinition } from './ecs-mapping';

/** DescribeServices accepts at most this many names per call. */
const DESCRIBE_BATCH = 10;

/** ECS through the SDK: services, task definitions, rollouts; service deployments and stopped tasks by delegation. */
export class EcsAdapter implements EcsPort {
  private readonly deployments: EcsDeploymentsAdapter;

  constructor(
    private readonly clientFor: ClientFactory<ECSClient>,
    options: DeploymentsAdapterOptions = {},
  ) {
    this.deployments = new EcsDeploymentsAdapter(clientFor, options);
  }

  /**
   * Describes services of one cluster, in the order asked (batches of 10 per call).
   * @throws CodedError `service_not_found` when a service is MISSING or INACTIVE, or the cluster is missing.
   */
  async describeServices(region: string, cluster: string, services: string[]): Promise<ServiceState[]> {
    const found: ServiceState[] = [];
    for (let i = 0; i < services.length; i += DESCRIBE_BATCH) {
      const batch = services.slice(i, i + DESCRIBE_BATCH);
      found.push(...(await this.describeBatch(region, cluster, batch)));
    }
    return found;
  }

  private async describeBatch(region: string, cluster: string, names: string[]): Promise<ServiceState[]> {
    const notFound = (name: string, why: string) =>
      new CodedError(ErrorCodes.serviceNotFound, `ECS service ${name} ${why} in cluster ${cluster} (${region})`, {
        details: { cluster, service: name, region },
      });
    const out = await this.call(
      region,
      'DescribeServices',
      (c) => c.send(new DescribeServicesCommand({ cluster, services: names })),
      {
        names: ['ClusterNotFoundException'],
        message: `ECS cluster ${cluster} not found in ${region} (looking for service ${names.join(', ')})`,
      },
    );
    const failure = out.failures?.at(0);
    if (failure) {
      const name = lastSegment(failure.arn) ?? names.join(', ');
      if (failure.reason === 'MISSING') throw notFound(name, 'not found');
      const why = safeAwsMessage(`${failure.reason ?? 'unknown'} ${failure.detail ?? ''}`);
      throw new CodedError(
        ErrorCodes.awsError,
        `ECS DescribeServices failed for ${name} in cluster ${cluster}: ${why}`,
      );
    }
    return names.map((name) => {
      const service = (out.services ?? []).find((s) => matches(s, name));
      if (!service) throw notFound(name, 'not found');
      if (service.status === 'INACTIVE') throw notFound(name, 'is INACTIVE (deleted)');
      return toServiceState(cluster, service);
    });
  }

  /**
   * Reads a task definition (ARN or `family:revision`) with its tags.
   * @throws CodedError `task_definition_not_found`.
   */
  async describeTaskDefinition(region: string, taskDefinition: string): Promise<TaskDefinition> {
    const command = new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] });
    // ECS answers a missing definition with a plain ClientException ("Unable to describe task definition").
    const out = await this.call(region, 'DescribeTaskDefinition', (c) => c.send(command), {
      names: ['ClientException'],
      message: `ECS task definition ${taskDefinition} not found in ${region}`,
      code: ErrorCodes.taskDefinitionNotFound,
    });
    if (!out.taskDefinition) {
      throw new CodedError(
        ErrorCodes.taskDefinitionNotFound,
        `ECS task definition ${taskDefinition} not found in ${region}`,
      );
    }
    return toTaskDefinition(out.taskDefinition, out.tags);
  }

  /**
   * Registers `from` again with only `container`'s image set to `image`; tags are passed back.
   * @throws CodedError `container_not_found` listing the containers that exist.
   */
  async registerRevision(
    region: string,
    from: TaskDefinition,
    container: string,
    image: string,
  ): Promise<TaskDefinition> {
    const input = buildRegisterInput(from, container, image);
    const out = await this.call(region, 'RegisterTaskDefinition', (c) =>
      c.send(new RegisterTaskDefinitionCommand(input)),
    );
    if (!out.taskDefinition)
      throw new CodedError(ErrorCodes.awsError, 'ECS RegisterTaskDefinition returned no task definition');
    return toTaskDefinition(out.taskDefinition, out.tags ?? input.tags);
  }

  /**
   * Points the service at a task definition and/or sets its desired count.
   * @throws CodedError `service_not_found` when the service or cluster is gone.
   */
  async updateService(region: string, input: UpdateServiceInput): Promise<ServiceState> {
    const command = new UpdateServiceCommand({
      cluster: input.cluster,
      service: input.service,
      ...(input.taskDefinition !== undefined ? { taskDefinition: input.taskDefinition } : {}),
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
      ...(input.forceNewDeployment ? { forceNewDeployment: true } : {}),
    });
    const out = await this.call(
      region,
      'UpdateService',
      (c) => c.send(command),
      serviceGone(input.cluster, input.service, region),
    );
    if (!out.service) throw new CodedError(ErrorCodes.awsError, 'ECS UpdateService returned no service');
    return toServiceState(input.cluster, out.service);
  }

  /** See EcsDeploymentsAdapter.listServiceDeployments. */
  listServiceDeployments(
    region: string,
    cluster: string,
    service: string,
    opts?: { createdAfter?: Date; status?: ServiceDeploymentStatus[] },
  ) {
    return this.deployments.listServiceDeployments(region, cluster, service, opts);
  }

  /** See EcsDeploymentsAdapter.describeServiceDeployments. */
  describeServiceDeployments(region: string, arns: string[]) {
    return this.deployments.describeServiceDeployments(region, arns);
  }

  /** See EcsDeploymentsAdapter.stopServiceDeployment. */
  stopServiceDeployment(region: string, arn: string, stopType: StopType) {
    return this.deployments.stopServiceDeployment(region, arn, stopType);
  }

  /** See EcsDeploymentsAdapter.continueServiceDeployment. */
  continueServiceDeployment(region: string, arn: string, hookId: string | undefined, action: HookAction) {
    return this.deployments.continueServiceDeployment(region, arn, hookId, action);
  }

  /** See EcsDeploymentsAdapter.listStoppedTasks. */
  listStoppedTasks(region: string, cluster: string, service: string, since: Date, limit?: number) {
    return this.deployments.listStoppedTasks(region, cluster, service, since, limit);
  }

  private call<T>(
    region: string,
    operation: string,
    run: (client: ECSClient) => Promise<T>,
    notFound?: { names: readonly string[]; message: string; code?: ErrorCode },
  ): Promise<T> {
    return callAws(
      {
        api: 'ECS',
        operation,
        notFound: notFound && {
          names: notFound.names,
          code: notFound.code ?? ErrorCodes.serviceNotFound,
          message: notFound.message,
        },
      },
      () => run(this.clientFor(region)),
    );
  }
}

/** The last `/` segment of an ARN (`…:service/cluster/name` → `name`). */
function lastSegment(arn: string | undefined): string | undefined {
  return arn ? arn.split('/').pop() : undefined;
}

/** Whether a described service is the one asked for by name or ARN. */
function matches(service: Service, asked: string): boolean {
  return service.serviceName === asked || service.serviceArn === asked || lastSegment(service.serviceArn) === asked;
}
