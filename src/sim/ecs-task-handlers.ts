/** The simulated ECS task API: ListTasks and DescribeTasks, running and stopped tasks alike. */
import type { Handler } from './ecs-handlers';
import { requireCluster, requireService } from './ecs-lookup';
import { arn } from './ids';
import { REGISTRY, type SimCluster, type SimService, type SimStoppedTask, type SimTask } from './model';
import { AwsError } from './wire';

type AnyTask = { live: SimTask; stopped?: undefined } | { stopped: SimStoppedTask; live?: undefined };

function tasksOf(services: SimService[]): { service: SimService; task: AnyTask }[] {
  return services.flatMap((service) => [
    ...service.tasks.map((t) => ({ service, task: { live: t } })),
    ...service.stoppedTasks.map((t) => ({ service, task: { stopped: t } })),
  ]);
}

function idOf(task: AnyTask): string {
  return task.live ? task.live.id : task.stopped.id;
}

const listTasks: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const services =
    typeof params.serviceName === 'string' ? [requireService(cluster, params.serviceName)] : cluster.services;
  const wanted = params.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING';
  const family = typeof params.family === 'string' ? params.family : undefined;
  const taskArns = tasksOf(services)
    .filter(({ task }) => (wanted === 'STOPPED' ? task.stopped !== undefined : task.live !== undefined))
    .filter(
      ({ task }) =>
        !family ||
        (task.live?.taskDefinition ?? task.stopped?.taskDefinition ?? '').includes(`task-definition/${family}:`),
    )
    .map(({ task }) => arn.task(cluster.name, idOf(task)));
  const max = typeof params.maxResults === 'number' ? Math.max(1, Math.min(100, params.maxResults)) : 100;
  const start = typeof params.nextToken === 'string' ? Number(params.nextToken) || 0 : 0;
  return {
    taskArns: taskArns.slice(start, start + max),
    ...(start + max < taskArns.length ? { nextToken: String(start + max) } : {}),
  };
};

function describeTask(cluster: SimCluster, service: SimService, task: AnyTask): Record<string, unknown> {
  const id = idOf(task);
  const taskArn = arn.task(cluster.name, id);
  const live = task.live;
  const stopped = task.stopped;
  const lastStatus = live ? live.state : 'STOPPED';
  const origin = task.live
    ? {
        taskDefinitionArn: task.live.taskDefinition,
        startedBy: task.live.deploymentId,
        createdAt: task.live.startedAt,
        startedAt: task.live.state === 'RUNNING' ? task.live.startedAt : undefined,
      }
    : {
        taskDefinitionArn: task.stopped.taskDefinition,
        startedBy: task.stopped.deploymentId,
        createdAt: task.stopped.createdAt,
        startedAt: task.stopped.startedAt,
      };
  const image = `${REGISTRY}/demo-backend`;
  return {
    taskArn,
    clusterArn: cluster.arn,
    taskDefinitionArn: origin.taskDefinitionArn,
    group: `service:${service.name}`,
    startedBy: origin.startedBy,
    lastStatus,
    desiredStatus: live ? 'RUNNING' : 'STOPPED',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    cpu: '512',
    memory: '1024',
    createdAt: origin.createdAt,
    startedAt: origin.startedAt,
    stoppingAt: stopped?.stoppedAt,
    stoppedAt: stopped?.stoppedAt,
    stopCode: stopped?.stopCode,
    stoppedReason: stopped?.stoppedReason,
    healthStatus: lastStatus === 'RUNNING' ? 'HEALTHY' : 'UNKNOWN',
    containers: [
      {
        containerArn: `${taskArn.replace(':task/', ':container/')}/${service.container}`,
        taskArn,
        name: service.container,
        image,
        lastStatus,
        exitCode: stopped?.exitCode,
        reason: stopped?.containerReason,
        healthStatus: lastStatus === 'RUNNING' ? 'HEALTHY' : 'UNKNOWN',
      },
    ],
    attachments: live
      ? [
          {
            type: 'ElasticNetworkInterface',
            status: 'ATTACHED',
            details: [{ name: 'privateIPv4Address', value: live.ip }],
          },
        ]
      : [],
  };
}

const describeTasks: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const refs = params.tasks;
  if (!Array.isArray(refs) || refs.length === 0)
    throw new AwsError('InvalidParameterException', 'Tasks cannot be empty.');
  if (refs.length > 100)
    throw new AwsError('InvalidParameterException', 'Tasks cannot contain more than 100 elements.');
  const all = tasksOf(cluster.services);
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const id = String(ref).slice(String(ref).lastIndexOf('/') + 1);
    const found = all.find(({ task }) => idOf(task) === id);
    if (found) tasks.push(describeTask(cluster, found.service, found.task));
    else
      failures.push({
        arn: String(ref).startsWith('arn:') ? String(ref) : arn.task(cluster.name, id),
        reason: 'MISSING',
      });
  }
  return { tasks, failures };
};

export const taskHandlers: Record<string, Handler> = { ListTasks: listTasks, DescribeTasks: describeTasks };
