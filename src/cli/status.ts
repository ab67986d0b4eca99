/** `status <service>`: what the service runs and how it is doing. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatStatus } from './format-status';
import { colorEnabled } from './io';
import { checkToken } from './validate';
import { answer, verbAction } from './verb';
import type { PausedDeployment } from '../engine/api';
import { describeTraffic, trafficProgress } from '../engine/blue-green/progress';

interface PauseStatus {
  changeId: string;
  stage: string | null;
  traffic: string;
  hookId: string;
  expiresAt: string | null;
  timeoutAction: string | null;
}

function pauseStatus(p: PausedDeployment): PauseStatus {
  const { deployment: d, hook } = p;
  return {
    changeId: p.record.id,
    stage: d.lifecycleStage,
    traffic: describeTraffic(trafficProgress(d, Date.now(), null)),
    hookId: hook.hookId,
    expiresAt: hook.expiresAt?.toISOString() ?? null,
    timeoutAction: hook.timeoutAction,
  };
}

/** The paused deploy: stage, traffic split, the hook with its expiry, and how to answer it. */
function formatPauseStatus(service: string, p: PauseStatus): string[] {
  return [
    `paused:           ${p.changeId} at ${p.stage ?? '?'} (hook ${p.hookId})`,
    `traffic:          ${p.traffic}`,
    `hook expires:     ${p.expiresAt ?? 'never'}, then ${p.timeoutAction ?? 'its timeout action'}`,
    `answer with:      ecs-chatops promote ${service}   |   ecs-chatops rollback ${service}`,
  ];
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('running/desired, deployments and rollout state, revision, image digest, target health, recent events')
    .argument('<service>', 'service name from the config')
    .action(
      verbAction(ctx, async ([service], _options, cmd) => {
        checkToken('service', service);
        getService(ctx.config(cmd), service);
        const { engine } = await ctx.runtime(cmd);
        const status = await engine.status(service);
        const paused = await engine.pausedDeployment(service);
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        const pause = paused ? pauseStatus(paused) : null;
        return answer({ ...status, pause }, [
          ...formatStatus(status, style),
          ...(pause ? formatPauseStatus(service, pause) : []),
        ]);
      }),
    );
}
