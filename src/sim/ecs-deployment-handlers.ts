/**
 * The simulated service-deployment API: ListServiceDeployments, DescribeServiceDeployments,
 * StopServiceDeployment, ContinueServiceDeployment and DescribeServiceRevisions.
 */
import { clusterArnOf, frozenRecords, freezeBeforeWrite } from './consistency';
import type { SimServiceDeployment } from './deployment-model';
import { describeRecord } from './describe-deployment';
import type { Handler } from './ecs-handlers';
import { requireCluster, requireService } from './ecs-lookup';
import { arn as resourceArn } from './ids';
import { ACCOUNT_ID, allServices, simNow, type SimService, type SimState } from './model';
import { rollBack } from './rollbacks';
import { findRecord, IN_FLIGHT } from './service-deployments';
import { AwsError, HtmlPageError } from './wire';

function brief(described: Record<string, unknown>): Record<string, unknown> {
  const { serviceDeploymentArn, serviceArn, clusterArn, startedAt, createdAt, finishedAt, status, statusReason } =
    described;
  const targetServiceRevisionArn = (described.targetServiceRevision as { arn?: string } | undefined)?.arn;
  return {
    serviceDeploymentArn,
    serviceArn,
    clusterArn,
    startedAt,
    createdAt,
    finishedAt,
    targetServiceRevisionArn,
    status,
    statusReason,
  };
}

/** JSON 1.1 timestamps arrive as epoch seconds. */
function epochMs(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}

/** The page of `items` a ListServiceDeployments call asks for: status, createdAt window, maxResults, nextToken. */
function pageOf<T extends { status?: unknown; createdAt?: unknown }>(
  items: T[],
  params: Record<string, unknown>,
): { page: T[]; nextToken?: string } {
  const statuses = Array.isArray(params.status) ? (params.status as string[]) : undefined;
  const window = (params.createdAt ?? {}) as { after?: unknown; before?: unknown };
  const after = epochMs(window.after);
  const before = epochMs(window.before);
  const max = typeof params.maxResults === 'number' ? Math.max(1, Math.min(100, params.maxResults)) : 20;
  const start = typeof params.nextToken === 'string' ? Number(params.nextToken) || 0 : 0;
  const matching = items.filter((d) => {
    const created = (d.createdAt as Date).getTime();
    if (statuses && !statuses.includes(String(d.status))) return false;
    return (after === undefined || created >= after) && (before === undefined || created <= before);
  });
  return {
    page: matching.slice(start, start + max),
    ...(start + max < matching.length ? { nextToken: String(start + max) } : {}),
  };
}

/** The asked-for page, described: a frozen view is described already, else only the page's records are. */
function listedPage(
  state: SimState,
  service: SimService,
  clusterArn: string,
  params: Record<string, unknown>,
): { page: Record<string, unknown>[]; nextToken?: string } {
  const frozen = frozenRecords(state, service);
  if (frozen) return pageOf(frozen, params);
  const { page, ...rest } = pageOf(service.serviceDeployments, params);
  return { page: page.map((r) => describeRecord(service, clusterArn, r)), ...rest };
}

const listServiceDeployments: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const service = requireService(cluster, params.service);
  const { page, ...rest } = listedPage(state, service, cluster.arn, params);
  return { serviceDeployments: page.map(brief), ...rest };
};

const describeServiceDeployments: Handler = (state, params) => {
  const arns = params.serviceDeploymentArns;
  if (!Array.isArray(arns) || arns.length === 0)
    throw new AwsError('InvalidParameterException', 'serviceDeploymentArns cannot be empty.');
  if (arns.length > 20)
    throw new AwsError('InvalidParameterException', 'serviceDeploymentArns cannot contain more than 20 elements.');
  const serviceDeployments: unknown[] = [];
  const failures: unknown[] = [];
  for (const arn of arns) {
    const found = typeof arn === 'string' ? findRecord(state, arn) : undefined;
    const frozen = found && frozenRecords(state, found.service);
    const described = frozen
      ? frozen.find((d) => d.serviceDeploymentArn === arn)
      : found && describeRecord(found.service, clusterArnOf(state, found.service), found.record);
    if (described) serviceDeployments.push(described);
    else failures.push({ arn: String(arn), reason: 'MISSING', detail: 'The service deployment does not exist.' });
  }
  return { serviceDeployments, failures };
};

function requireRecord(state: SimState, arn: unknown): { service: SimService; record: SimServiceDeployment } {
  const found = typeof arn === 'string' ? findRecord(state, arn) : undefined;
  if (!found)
    throw new AwsError(
      'ServiceDeploymentNotFoundException',
      `The service deployment ${String(arn).slice(0, 200)} does not exist.`,
    );
  return found;
}

const stopServiceDeployment: Handler = (state, params) => {
  const { service, record } = requireRecord(state, params.serviceDeploymentArn);
  const stopType = params.stopType ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK')
    throw new AwsError(
      'InvalidParameterException',
      `stopType ${JSON.stringify(stopType).slice(0, 20)} is not supported; the valid value is ROLLBACK.`,
    );
  if (!IN_FLIGHT.has(record.status)) {
    throw new AwsError(
      'ConflictException',
      `The service deployment is in ${record.status} state and cannot be stopped.`,
    );
  }
  if (record.status === 'PENDING' || record.status === 'IN_PROGRESS') {
    freezeBeforeWrite(state, service);
    rollBack(state, service, record, { kind: 'stop' });
  }
  return { serviceDeploymentArn: record.arn };
};

const continueServiceDeployment: Handler = (state, params) => {
  const { service, record } = requireRecord(state, params.serviceDeploymentArn);
  const action = params.action ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK')
    throw new AwsError('InvalidParameterException', 'action must be CONTINUE or ROLLBACK.');
  const hook = record.hooks.find((h) => h.hookId === params.hookId);
  if (!hook)
    throw new AwsError(
      'InvalidParameterException',
      `The lifecycle hook ${String(params.hookId).slice(0, 80)} does not exist in this service deployment.`,
    );
  if (record.status !== 'IN_PROGRESS')
    throw new AwsError(
      'ClientException',
      `The service deployment is in ${record.status} state; only IN_PROGRESS deployments can be continued.`,
    );
  if (hook.status !== 'AWAITING_ACTION')
    throw new AwsError('ClientException', `The lifecycle hook is in ${hook.status} state, not AWAITING_ACTION.`);
  freezeBeforeWrite(state, service);
  hook.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
  record.updatedAt = new Date(simNow(state));
  if (action === 'ROLLBACK') rollBack(state, service, record, { kind: 'hook', timedOut: false });
  return { serviceDeploymentArn: record.arn };
};

const describeServiceRevisions: Handler = (state, params) => {
  const arns = params.serviceRevisionArns;
  if (!Array.isArray(arns) || arns.length === 0)
    throw new AwsError('InvalidParameterException', 'serviceRevisionArns cannot be empty.');
  const serviceRevisions: unknown[] = [];
  const failures: unknown[] = [];
  for (const arn of arns) {
    const service = allServices(state).find((s) => s.revisions.some((r) => r.arn === arn));
    const revision = service?.revisions.find((r) => r.arn === arn);
    if (!service || !revision) {
      failures.push({ arn: String(arn), reason: 'MISSING' });
      continue;
    }
    serviceRevisions.push({
      serviceRevisionArn: revision.arn,
      serviceArn: service.arn,
      clusterArn: resourceArn.cluster(service.cluster),
      taskDefinition: revision.taskDefinition,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      loadBalancers: [
        { targetGroupArn: service.targetGroupArn, containerName: service.container, containerPort: 3001 },
      ],
      createdAt: revision.createdAt,
    });
  }
  return { serviceRevisions, failures };
};

export const deploymentHandlers: Record<string, Handler> = {
  ListServiceDeployments: listServiceDeployments,
  DescribeServiceDeployments: describeServiceDeployments,
  StopServiceDeployment: stopServiceDeployment,
  ContinueServiceDeployment: continueServiceDeployment,
  DescribeServiceRevisions: describeServiceRevisions,
};

/** The operations the `serviceDeploymentsApi` knob turns off. */
export const SERVICE_DEPLOYMENT_OPERATIONS = new Set(Object.keys(deploymentHandlers));

/**
 * Answers for an API that is missing (an older endpoint), denied by IAM, or not implemented by an
 * emulator that answers an HTML page with HTTP 500 (`html-500`).
 * @returns the error to answer with, or undefined when the call goes through.
 */
export function serviceDeploymentsGate(state: SimState, operation: string): AwsError | undefined {
  if (!SERVICE_DEPLOYMENT_OPERATIONS.has(operation)) return undefined;
  if (state.knobs.serviceDeploymentsApi === 'missing')
    return new AwsError('UnknownOperationException', `Operation ${operation} is not supported by this endpoint.`);
  if (state.knobs.serviceDeploymentsApi === 'html-500') return new HtmlPageError(operation);
  if (state.knobs.serviceDeploymentsApi === 'denied') {
    return new AwsError(
      'AccessDeniedException',
      `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/ecs-chatops is not authorized to perform: ecs:${operation} because no identity-based policy allows the ecs:${operation} action`,
    );
  }
  return undefined;
}
