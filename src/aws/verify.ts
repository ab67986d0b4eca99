/**
 * Read-only checks that a configured service's AWS resources exist and can be read,
 * for `config check --aws`. Nothing here changes anything.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { NamedService } from '../config/schema';
import { isApiUnavailable } from '../engine/service-deployment';
import type { ServiceState, TaskDefinition } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { AwsErrorCodes, callAws } from './aws-errors';
import type { AwsClients } from './client-factory';
import { EcsAdapter } from './ecs-adapter';
import { familyRevision } from './ecs-mapping';
import { TARGET_GROUP_NOT_FOUND } from './elb-adapter';

export interface ResourceCheck {
  /** What kind of thing: `ECS cluster`, `ECR repository`, … */
  resource: string;
  name: string;
  ok: boolean;
  detail: string;
  /** Readable enough to deploy, with less to go on (the detail says what the tool does instead). */
  warning?: boolean;
}

const NOT_FOUND = ErrorCodes.notFound;
/** DescribeLogGroups pages to look through for the exact name before giving up. */
const LOG_GROUP_PAGES = 5;

/** Runs every check for one service; never throws for AWS failures (they become failed checks). */
export async function runResourceChecks(service: NamedService, clients: AwsClients): Promise<ResourceCheck[]> {
  const { region } = service;
  const ecs = new EcsAdapter(clients.ecs);
  const serviceState = ecs.describeServices(region, service.cluster, [service.service]).then((s) => s[0]);
  const checks: Promise<ResourceCheck | ResourceCheck[]>[] = [
    check('ECS cluster', service.cluster, () => clusterDetail(clients, service)),
    check('ECS service', service.service, async () => {
      const s = await serviceState;
      if (s.status !== 'ACTIVE') throw missing(`ECS service ${service.service} is ${s.status}, not ACTIVE`);
      return `${s.status} in cluster ${service.cluster}, running ${s.runningCount}/${s.desiredCount}`;
    }),
    taskDefinitionChecks(service, ecs, serviceState),
    serviceDeploymentsCheck(service, ecs, serviceState),
    check('ECR repository', service.ecrRepository, () => repositoryDetail(clients, service)),
  ];
  if (service.targetGroupArn) {
    const arn = service.targetGroupArn;
    checks.push(check('ELB target group', arn, () => targetGroupDetail(clients, region, arn)));
  }
  if (service.logGroup) {
    const group = service.logGroup;
    checks.push(check('CloudWatch log group', group, () => logGroupDetail(clients, region, group)));
  }
  return (await Promise.all(checks)).flat();
}

/** Runs `describe`; its answer is the detail of a passing check, its CodedError the reason of a failing one. */
async function check(resource: string, name: string, describe: () => string | Promise<string>): Promise<ResourceCheck> {
  try {
    return { resource, name, ok: true, detail: await describe() };
  } catch (err) {
    return { resource, name, ok: false, detail: failureDetail(err) };
  }
}

function failureDetail(err: unknown): string {
  if (!(err instanceof CodedError)) return `check failed: ${err instanceof Error ? err.message : String(err)}`;
  if (err.code === ErrorCodes.accessDenied) return `not readable (access denied): ${err.message}`;
  if (err.code === ErrorCodes.throttled) return `not checked (throttled): ${err.message}`;
  if (err.code === ErrorCodes.awsError) return `not readable: ${err.message}`;
  // Not-found messages already say what is missing and where.
  return err.message;
}

function missing(message: string): CodedError {
  return new CodedError(NOT_FOUND, message);
}

/**
 * Whether ListServiceDeployments answers for the service. Missing or denied is a warning, not a problem:
 * deploys then judge from the deployments array. Skipped when the service itself could not be read.
 */
async function serviceDeploymentsCheck(
  service: NamedService,
  ecs: EcsAdapter,
  serviceState: Promise<ServiceState>,
): Promise<ResourceCheck[]> {
  // The ECS service check itself says why the service could not be read.
  if (!(await serviceState.catch(() => undefined))) return [];
  const base = { resource: 'ECS service deployments', name: service.service };
  try {
    const recorded = await ecs.listServiceDeployments(service.region, service.cluster, service.service);
    return [{ ...base, ok: true, detail: `readable (${recorded.length} recorded); deploys follow ECS's own verdict` }];
  } catch (err) {
    if (!isApiUnavailable(err)) return [{ ...base, ok: false, detail: failureDetail(err) }];
    const why = err instanceof Error ? err.message.replace(/; the tool .*$/, '') : 'unavailable';
    return [{ ...base, ok: true, warning: true, detail: `${why}; deploys will judge from the deployments array` }];
  }
}

async function taskDefinitionChecks(
  service: NamedService,
  ecs: EcsAdapter,
  serviceState: Promise<ServiceState>,
): Promise<ResourceCheck[]> {
  const { region } = service;
  // The ECS service check itself says why the service could not be read.
  const state = await serviceState.catch(() => undefined);
  if (!state) {
    const why = 'not checked: the ECS service could not be read';
    return [
      { resource: 'ECS task definition', name: '(the service’s current one)', ok: false, detail: why },
      { resource: 'ECS container', name: service.container, ok: false, detail: why },
    ];
  }
  let definition: TaskDefinition | undefined;
  const defCheck = await check('ECS task definition', state.taskDefinition, async () => {
    definition = await ecs.describeTaskDefinition(region, state.taskDefinition);
    return `the service's current revision, readable (containers: ${definition.containers.map((c) => c.name).join(', ')})`;
  });
  if (definition) defCheck.name = familyRevision(definition);
  const containerCheck = await check('ECS container', service.container, () => {
    if (!definition) throw missing('not checked: the task definition could not be read');
    const names = definition.containers.map((c) => c.name);
    if (!names.includes(service.container)) {
      throw missing(
        `not in task definition ${familyRevision(definition)} (its containers: ${names.join(', ') || 'none'})`,
      );
    }
    return `in task definition ${familyRevision(definition)}`;
  });
  return [defCheck, containerCheck];
}

async function clusterDetail(clients: AwsClients, service: NamedService): Promise<string> {
  const out = await callAws({ api: 'ECS', operation: 'DescribeClusters' }, () =>
    clients.ecs(service.region).send(new DescribeClustersCommand({ clusters: [service.cluster] })),
  );
  const cluster = out.clusters?.find((c) => c.clusterName === service.cluster || c.clusterArn === service.cluster);
  if (!cluster) throw missing(`ECS cluster ${service.cluster} does not exist in ${service.region}`);
  if (cluster.status !== 'ACTIVE') throw missing(`ECS cluster ${service.cluster} is ${cluster.status ?? 'not active'}`);
  return `ACTIVE, ${cluster.activeServicesCount ?? 0} services, ${cluster.runningTasksCount ?? 0} running tasks`;
}

async function repositoryDetail(clients: AwsClients, service: NamedService): Promise<string> {
  const out = await callAws(
    {
      api: 'ECR',
      operation: 'DescribeRepositories',
      notFound: {
        names: ['RepositoryNotFoundException'],
        code: NOT_FOUND,
        message: `ECR repository ${service.ecrRepository} does not exist in ${service.region}`,
      },
    },
    () =>
      clients.ecr(service.region).send(new DescribeRepositoriesCommand({ repositoryNames: [service.ecrRepository] })),
  );
  const repo = out.repositories?.[0];
  if (!repo) throw missing(`ECR repository ${service.ecrRepository} does not exist in ${service.region}`);
  return `exists (${repo.repositoryUri ?? repo.repositoryName ?? service.ecrRepository})`;
}

async function targetGroupDetail(clients: AwsClients, region: string, arn: string): Promise<string> {
  const out = await callAws(
    {
      api: 'ELBv2',
      operation: 'DescribeTargetGroups',
      notFound: { names: TARGET_GROUP_NOT_FOUND, code: NOT_FOUND, message: `target group does not exist in ${region}` },
    },
    () => clients.elb(region).send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
  );
  const group = out.TargetGroups?.[0];
  if (!group) throw missing(`target group does not exist in ${region}`);
  return `exists (${group.TargetGroupName ?? arn}, ${group.Protocol ?? '?'}:${group.Port ?? '?'}, target type ${group.TargetType ?? '?'})`;
}

async function logGroupDetail(clients: AwsClients, region: string, name: string): Promise<string> {
  let nextToken: string | undefined;
  for (let page = 0; page < LOG_GROUP_PAGES; page += 1) {
    const out = await callAws(
      {
        api: 'Logs',
        operation: 'DescribeLogGroups',
        notFound: {
          names: ['ResourceNotFoundException'],
          code: AwsErrorCodes.logGroupNotFound,
          message: `log group ${name} does not exist in ${region}`,
        },
      },
      () =>
        clients
          .logs(region)
          .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, ...(nextToken ? { nextToken } : {}) })),
    );
    // A prefix search also returns longer names: only the exact one counts.
    const group = out.logGroups?.find((g) => g.logGroupName === name);
    if (group) return `exists${group.retentionInDays ? ` (retention ${group.retentionInDays} days)` : ''}`;
    nextToken = out.nextToken || undefined;
    if (!nextToken) break;
  }
  throw missing(`log group ${name} does not exist in ${region}`);
}
