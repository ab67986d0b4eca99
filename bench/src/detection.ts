/**
 * One deploy against the simulated world, polled every 2 s: how soon after the simulator marks
 * the rollout COMPLETED (or FAILED, circuit breaker) the engine ends the change, and what the
 * deploy cost in AWS calls (by operation) and Slack calls (by method).
 */
import type { RolloutMark, SimCall, SimWorld } from '../../src/sim/index';
import { startSimWorld } from '../../src/sim/index';
import { createEngineRig, type DeployOutcome } from './engine-rig';
import { startFakeSlack, type SlackApiCall } from './fake-slack';
import { countBy, maxInWindow } from './stats';

export interface SlackCost {
  /** Web API calls by method (response_url posts and file bodies left out). */
  byMethod: Record<string, number>;
  total: number;
  /** The most `chat.update` calls on one message within any one second. */
  maxUpdatesPerMessagePerSecond: number;
}

export interface DetectionRun {
  outcome: string;
  /** COMPLETED (or FAILED) mark → `change_finished`, ms. */
  detectionMs: number;
  /** FAILED only: the FAILED mark → the engine starting its rollback, ms. */
  noticedMs?: number;
  /** FAILED only: the rollback deployment's COMPLETED mark → `change_finished`, ms. */
  rollbackDetectionMs?: number;
  /** Of detectionMs: from the mark to the engine seeing it (end of the rollout phase), ms. */
  pollWaitMs: number;
  /** Of detectionMs: targets, smoke checks, logs and the record after the rollout phase, ms. */
  verifyMs: number;
  /** Whole change, command to final event, ms. */
  changeMs: number;
  awsCalls: Record<string, number>;
  awsTotal: number;
  slack: SlackCost;
}

/**
 * The simulator's step time for run `i` of `runs`. A rollout takes a fixed number of steps, so with
 * one pace it would always end at the same point of the 2 s polling cycle and every run would
 * measure the same wait. Spreading the pace over [base, base + pollMs / steps) spreads the end of
 * the rollout evenly over the cycle, as real rollouts of any length would.
 */
export function stratifiedPace(i: number, runs: number, pollMs: number, steps = 8, base = 250): number {
  return Math.round(base + (pollMs / steps) * ((i + 0.5) / runs));
}

/** Slack Web API cost of everything the fake received. */
export function slackCost(calls: SlackApiCall[]): SlackCost {
  const api = calls.filter((c) => c.method !== 'respond' && c.method !== 'upload' && c.method !== 'auth.test');
  const updates = new Map<string, number[]>();
  for (const c of api) if (c.method === 'chat.update' && c.ts) updates.set(c.ts, [...(updates.get(c.ts) ?? []), c.at]);
  return {
    byMethod: countBy(api, (c) => c.method),
    total: api.length,
    maxUpdatesPerMessagePerSecond: Math.max(0, ...[...updates.values()].map((t) => maxInWindow(t, 1000))),
  };
}

/** AWS calls in a time window, by operation. */
export function awsCallsBetween(calls: SimCall[], from: number, to: number): SimCall[] {
  return calls.filter((c) => c.at >= from && c.at <= to);
}

/** When the engine ended the rollout phase (saw the rollout's end). */
export function rolloutSeenAt(d: DeployOutcome): number | undefined {
  return d.events.find((e) => e.event.type === 'phase_finished' && e.event.phase === 'rollout')?.at;
}

function markFor(
  world: SimWorld,
  taskDefinition: string | null,
  state: RolloutMark['state'],
  after: number,
): RolloutMark | undefined {
  return world.rolloutMarks().find((m) => m.taskDefinition === taskDefinition && m.state === state && m.at >= after);
}

/**
 * Deploys the world's second image once under `scenario` (`healthy` or `circuit-breaker`), the
 * simulator taking `paceMs` per step (see `stratifiedPace`).
 * @throws Error when the simulator never marked the rollout (nothing to measure from).
 */
export async function measureDetection(
  scenario: 'healthy' | 'circuit-breaker',
  pollMs: number,
  paceMs: number,
): Promise<DetectionRun> {
  const world = await startSimWorld({ scenario, pollMs, paceMs });
  const slack = await startFakeSlack();
  const rig = createEngineRig(world, slack);
  try {
    world.clearCalls();
    const d = await rig.deploy(world.services[0], world.images[1].tag);
    return summarise(world, d, scenario, slack.calls());
  } finally {
    await rig.close();
    await slack.close();
    await world.close();
  }
}

function summarise(world: SimWorld, d: DeployOutcome, scenario: string, slackCalls: SlackApiCall[]): DetectionRun {
  const to = d.result.toTaskDefinition;
  const calls = awsCallsBetween(world.calls(), d.startedAt, d.finishedAt);
  const base = {
    outcome: d.result.outcome,
    changeMs: d.finishedAt - d.startedAt,
    awsCalls: countBy(calls, (c) => c.operation),
    awsTotal: calls.length,
    slack: slackCost(slackCalls),
  };
  if (scenario === 'healthy') {
    const done = markFor(world, to, 'COMPLETED', d.startedAt);
    if (!done)
      throw new Error(`the simulator never marked ${to ?? '(no revision)'} COMPLETED (outcome ${d.result.outcome})`);
    const seen = rolloutSeenAt(d) ?? d.finishedAt;
    return { ...base, detectionMs: d.finishedAt - done.at, pollWaitMs: seen - done.at, verifyMs: d.finishedAt - seen };
  }
  const failed = markFor(world, to, 'FAILED', d.startedAt);
  if (!failed)
    throw new Error(`the simulator never marked ${to ?? '(no revision)'} FAILED (outcome ${d.result.outcome})`);
  const back = markFor(world, d.result.fromTaskDefinition, 'COMPLETED', failed.at);
  const noticed = d.events.find((e) => e.event.type === 'rollback_started');
  const seen = noticed?.at ?? d.finishedAt;
  return {
    ...base,
    detectionMs: d.finishedAt - failed.at,
    pollWaitMs: seen - failed.at,
    verifyMs: back ? d.finishedAt - back.at : Number.NaN,
    noticedMs: noticed ? noticed.at - failed.at : Number.NaN,
    rollbackDetectionMs: back ? d.finishedAt - back.at : Number.NaN,
  };
}
