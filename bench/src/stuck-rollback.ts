/**
 * Stuck-rollback latency: a release whose image cannot be pulled (the simulator's `stuck`
 * scenario), watched with 2 s polling. Measures, on ECS's own clock, from ECS's failure event
 * ("unable to consistently start tasks") and from the first stopped task's reason
 * (CannotPullContainerError) to our StopServiceDeployment call.
 */
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { startSimWorld } from '../../src/sim/index';
import { openStore } from '../../src/store/index';
import { BENCH_ACTOR, engineOn, simClients } from './engine-rig';
import { median, round } from './stats';

export interface StuckRun {
  outcome: string;
  /** ECS's failure event → StopServiceDeployment (ms); negative when we stopped before ECS said so; NaN when it never did. */
  eventToStopMs: number;
  /** The first stopped task of the release → StopServiceDeployment (ms). */
  taskToStopMs: number;
}

const CLUSTER = 'demo-cluster';
const FAILURE_EVENT = /unable to consistently start tasks/i;

export async function measureStuckRollback(pollMs: number): Promise<StuckRun> {
  const world = await startSimWorld({ scenario: 'stuck', paceMs: 100, pollMs });
  const store = openStore(':memory:');
  const { engine, close } = engineOn(world, store);
  const clients = simClients(world);
  try {
    const result = await engine.deploy({ service: world.services[0], sha: world.images[1].tag, actor: BENCH_ACTOR });
    await engine.drain(5000);
    const stop = world.calls().find((c) => c.operation === 'StopServiceDeployment');
    const ecs = clients.ecs('us-east-1');
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['demo-backend'] })))
      .services?.[0];
    const event = (service?.events ?? [])
      .filter((e) => FAILURE_EVENT.test(e.message ?? ''))
      .map((e) => e.createdAt?.getTime() ?? Number.NaN)
      .sort((a, b) => a - b)
      .at(0);
    const listed = await ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: 'demo-backend', desiredStatus: 'STOPPED' }),
    );
    const tasks = listed.taskArns?.length
      ? ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }))).tasks ?? [])
      : [];
    const firstStopped = tasks
      .filter((t) => (t.stoppedReason ?? '').includes('CannotPullContainerError'))
      .map((t) => t.stoppedAt?.getTime() ?? Number.NaN)
      .sort((a, b) => a - b)
      .at(0);
    const stopAt = stop?.at ?? Number.NaN;
    return {
      outcome: result.outcome,
      eventToStopMs: event === undefined ? Number.NaN : stopAt - event,
      taskToStopMs: firstStopped === undefined ? Number.NaN : stopAt - firstStopped,
    };
  } finally {
    clients.destroy();
    await store.close();
    close();
    await world.close();
  }
}

export interface StuckSummary {
  pollMs: number;
  /** Medians over the runs where the moment was seen (ms). */
  eventToStopMs: number;
  taskToStopMs: number;
  /** Runs stopped before ECS's failure event was ever written. */
  stoppedBeforeEvent: number;
  runs: StuckRun[];
}

export function summariseStuck(runs: StuckRun[], pollMs: number): StuckSummary {
  const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
  return {
    pollMs,
    eventToStopMs: round(median(finite(runs.map((r) => r.eventToStopMs)))),
    taskToStopMs: round(median(finite(runs.map((r) => r.taskToStopMs)))),
    stoppedBeforeEvent: runs.filter((r) => !Number.isFinite(r.eventToStopMs) || r.eventToStopMs < 0).length,
    runs,
  };
}

const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');

export function renderStuck(s: StuckSummary): string {
  return [
    `## Stuck rollout: image cannot be pulled, ${s.pollMs / 1000} s polling`,
    '',
    '| | median |',
    '| --- | --- |',
    `| ECS's failure event → StopServiceDeployment | ${seconds(s.eventToStopMs)} |`,
    `| first stopped task's reason → StopServiceDeployment | ${seconds(s.taskToStopMs)} |`,
    `| runs stopped before ECS's failure event | ${s.stoppedBeforeEvent}/${s.runs.length} |`,
    '',
  ].join('\n');
}
