/** `rollback <service> [--to REVISION|SHA]`: back to the previous release, a revision or a git SHA. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { ChangeResult, Release } from '../engine/model';
import { isValidSha } from '../engine/release-ref';
import { shortTaskDefinition } from '../engine/validate';
import { changeCommandResult, failedChangeResult } from './change-result';
import type { CliContext, CommandResult } from './context';
import { alignTable, formatTimestamp, shortSha } from './format-common';
import { createTerminalReporter } from './terminal-reporter';
import { checkToken, parseRollbackTarget } from './validate';
import { answer, verbAction } from './verb';
import { answerPause } from './promote';

export interface RollbackOptions {
  to?: string;
  skipSmoke?: boolean;
  list?: boolean;
}

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description(
      'roll back to the previous release, or to a revision (N, family:N or its ARN) or git SHA with --to; answers a paused blue/green deploy with ROLLBACK',
    )
    .argument('<service>', 'service name from the config')
    .option(
      '--to <target>',
      'revision (N, family:N or a task-definition ARN of the same family) or git SHA (7 to 40 hex) to roll back to',
    )
    .option('--skip-smoke', 'do not run the smoke tests after the rollback')
    .option('--list', 'list the releases that can be rolled back to, and change nothing')
    .action(verbAction(ctx, ([service], options, cmd) => runRollback(ctx, cmd, service, options), true));
}

/** Never throws: every outcome comes back as a command result. */
export async function runRollback(
  ctx: CliContext,
  cmd: Command,
  service: string,
  options: RollbackOptions,
): Promise<CommandResult> {
  const startedAt = new Date().toISOString();
  const actor = ctx.actor();
  try {
    checkToken('service', service);
    const target = parseRollbackTarget(options.to);
    getService(ctx.config(cmd), service);
    const runtime = await ctx.runtime(cmd);
    if (options.list) return listReleases(ctx, await runtime.engine.releases(service, 20), service);
    // A deploy of ours paused at a hook is rolled back by answering that hook: production never leaves blue.
    const paused = options.to ? null : await runtime.engine.pausedDeployment(service);
    if (paused)
      return await answerPause(ctx, cmd, service, 'ROLLBACK', {
        changeId: paused.record.id,
        hookId: paused.hook.hookId,
      });

    const reporter = createTerminalReporter(ctx.io.stderr, ctx.io.env);
    let result: ChangeResult;
    try {
      result = await runtime.engine.rollback({
        service,
        target,
        skipSmoke: Boolean(options.skipSmoke),
        actor,
        onEvent: reporter.onEvent,
      });
    } finally {
      reporter.close();
    }
    reporter.printSummary(result);
    return changeCommandResult(result);
  } catch (error) {
    const sha = options.to && isValidSha(options.to) ? options.to : undefined;
    const result = failedChangeResult('rollback', { service, sha, startedAt, actor }, error);
    ctx.io.stderr.write(`ecs-chatops: ${result.error.message}\n`);
    return changeCommandResult(result);
  }
}

function listReleases(ctx: CliContext, releases: Release[], service: string): CommandResult {
  ctx.changing = false;
  if (releases.length === 0) return answer({ service, releases }, [`no earlier releases of ${service} recorded`]);
  const rows = releases.map((r) => [
    r.current ? '*' : ' ',
    formatTimestamp(r.at),
    shortSha(r.sha),
    shortTaskDefinition(r.taskDefinition),
    r.actor.name,
    r.deployId,
  ]);
  return answer({ service, releases }, [
    ...alignTable([[' ', 'DEPLOYED', 'SHA', 'REVISION', 'BY', 'ID'], ...rows]),
    `roll back with: ecs-chatops rollback ${service} --to <revision or sha>`,
  ]);
}
