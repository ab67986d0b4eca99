/** `deploy <service> <sha>`: the full, verified deploy (or its plan with --dry-run). */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { ChangeResult, EventListener } from '../engine/model';
import { describeError } from '../errors';
import { changeCommandResult, failedChangeResult } from './change-result';
import type { CliContext, CommandResult, Runtime } from './context';
import { createStyle } from './format-common';
import { formatPlan } from './format-plan';
import { colorEnabled } from './io';
import { slackNotifySettings, type SlackNotifySettings, type SlackThread } from './slack-notify';
import { createTerminalReporter } from './terminal-reporter';
import { withLockWait } from './lock-wait';
import { invalidInput } from './errors';
import { checkSha, checkText, checkToken, parseWaitForLock } from './validate';

/** `--approval` and `--reason` of a freeze override, checked. */
function overrideOptions(options: DeployOptions): { approvalId?: string; reason?: string } {
  return {
    approvalId: options.approval === undefined ? undefined : checkToken('--approval', options.approval, 60),
    reason: options.reason === undefined ? undefined : checkText('--reason', options.reason, 300),
  };
}

/** Tells the terminal why the command stopped, and stops it there. */
function stopWith(ctx: CliContext, result: CommandResult): CommandResult {
  ctx.io.stderr.write(`ecs-chatops: ${String(result.json.summary)}\n`);
  return result;
}
import { verbAction } from './verb';
import { requestFreezeOverride } from './freeze-override';

export interface DeployOptions {
  skipSmoke?: boolean;
  dryRun?: boolean;
  force?: boolean;
  notifySlack?: string;
  waitForPromotion?: boolean;
  waitForLock?: string;
  from?: string;
  approval?: string;
  reason?: string;
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  program
    .command('deploy')
    .description('deploy the image tagged <sha>: pin its digest, roll, watch, verify, roll back on failure')
    .argument('<service>', 'service name from the config')
    .argument('[sha]', 'git SHA the image is tagged with (7 to 40 hex characters); not with --from')
    .option(
      '--from <service>',
      'promote: deploy the exact image (by digest) that this service runs now, e.g. backend-staging',
    )
    .option('--skip-smoke', 'do not run the smoke tests')
    .option(
      '--force',
      'register a new revision and force a new deployment even when the digest already runs; during a freeze or under promotion.require: verified, ask to override',
    )
    .option('--approval <id>', "a second person's approval of a freeze override (from `freeze approve`)")
    .option('--reason <text>', 'why a forced deploy overrides a freeze (shown to the approver)')
    .option('--dry-run', 'show the plan (digest, revisions, task-definition diff) and change nothing')
    .option(
      '--wait-for-promotion',
      'CI: exit 0 only once production traffic is on the new release and it is verified (a paused blue/green deploy is waited for either way)',
    )
    .option('--notify-slack <channel>', 'also post the deploy thread to this Slack channel (needs SLACK_BOT_TOKEN)')
    .option(
      '--wait-for-lock <duration>',
      'when another change holds the service, wait for it up to this long (e.g. 10m) instead of exiting 4',
    )
    .hook('preAction', (cmd) => {
      // `[sha]` is optional only for --from: without either, the same usage error as any missing argument.
      if (cmd.args.length < 2 && cmd.opts<DeployOptions>().from === undefined)
        cmd.error("error: missing required argument 'sha' (or --from <service>)", {
          code: 'commander.missingArgument',
          exitCode: 2,
        });
    })
    .action(verbAction(ctx, ([service, sha = ''], options, cmd) => runDeploy(ctx, cmd, service, sha, options), true));
}

/** The deploy's Slack thread; a deploy never depends on Slack: without a thread it goes on, and says so. */
async function openThread(
  ctx: CliContext,
  runtime: Runtime,
  slack: SlackNotifySettings,
  what: { service: string; sha: string },
): Promise<SlackThread | null> {
  return ctx.services
    .openSlackThread(slack, {
      engine: runtime.engine,
      config: runtime.config,
      logger: ctx.logger,
      initial: { service: what.service, kind: 'deploy', sha: what.sha },
    })
    .catch((e: unknown) => {
      ctx.io.stderr.write(
        `ecs-chatops: warning: cannot post to Slack (${describeError(e)}); deploying without a Slack thread\n`,
      );
      return null;
    });
}

/**
 * Validates everything it can without AWS, then runs the engine's deploy.
 * Never throws: every outcome comes back as a ChangeResult-shaped command result.
 */
export async function runDeploy(
  ctx: CliContext,
  cmd: Command,
  service: string,
  sha: string,
  options: DeployOptions,
): Promise<CommandResult> {
  const startedAt = new Date().toISOString();
  const actor = ctx.actor();
  try {
    checkToken('service', service);
    const from = options.from === undefined ? undefined : checkToken('--from', options.from);
    checkPromotionArgs(sha, from, options);
    const cleanSha = from === undefined ? checkSha(sha) : null;
    getService(ctx.config(cmd), service);
    const waitMs = parseWaitForLock(options.waitForLock);
    const slack = options.notifySlack ? slackNotifySettings(options.notifySlack, ctx.io.env) : null;

    const { approvalId, reason } = overrideOptions(options);
    const runtime = await ctx.runtime(cmd);
    // A promotion during a freeze is refused by the engine's freeze guard; its override is asked for a deploy by SHA.
    const asked =
      options.force && !approvalId && !options.dryRun && cleanSha !== null
        ? await requestFreezeOverride(runtime.engine, { service, sha: cleanSha, reason, actor, startedAt })
        : null;
    if (asked) return stopWith(ctx, asked);
    const reporter = createTerminalReporter(ctx.io.stderr, ctx.io.env);
    const thread = slack ? await openThread(ctx, runtime, slack, { service, sha: cleanSha ?? '' }) : null;
    const onEvent: EventListener = (event) => {
      reporter.onEvent(event);
      thread?.onEvent(event);
    };
    let result: ChangeResult | null = null;
    try {
      const say = (line: string) => ctx.io.stderr.write(`ecs-chatops: ${line}\n`);
      const lockWait = { getLock: (s: string) => runtime.engine.getLock(s), say };
      const common = {
        service,
        skipSmoke: Boolean(options.skipSmoke),
        force: Boolean(options.force),
        actor,
        onEvent,
        onStart: thread ? (id: string) => thread.onStart(id) : undefined,
      };
      result = await withLockWait(service, options.dryRun ? undefined : waitMs, lockWait, () =>
        cleanSha === null
          ? runtime.engine.promoteFrom({ ...common, from: from ?? '', approvalId })
          : runtime.engine.deploy({ ...common, sha: cleanSha, dryRun: Boolean(options.dryRun), approvalId }),
      );
    } finally {
      reporter.close();
      await thread?.finish(result);
    }
    if (result.dryRun) {
      const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
      return changeCommandResult(
        result,
        formatPlan(service, cleanSha ?? '', result.dryRun, style, result.changes ?? null).join('\n'),
      );
    }
    reporter.printSummary(result);
    // A "succeeded" that left production elsewhere (nothing to do on another revision) is not a promotion.
    if (
      options.waitForPromotion &&
      result.ok &&
      result.toTaskDefinition &&
      result.finalTaskDefinition !== result.toTaskDefinition
    ) {
      return { ...changeCommandResult(result), exitCode: 3 };
    }
    return changeCommandResult(result);
  } catch (error) {
    const result = failedChangeResult('deploy', { service, sha, startedAt, actor }, error);
    ctx.io.stderr.write(`ecs-chatops: ${result.error.message}\n`);
    return changeCommandResult(result);
  }
}

/** A SHA or `--from`, one of them; a promotion is no dry run. @throws CodedError `invalid_input`. */
function checkPromotionArgs(sha: string, from: string | undefined, options: DeployOptions): void {
  if (from === undefined) return;
  if (sha) throw invalidInput(`give a git SHA or --from ${from}, not both`);
  if (options.dryRun) throw invalidInput('--dry-run does not apply to --from: `status` shows what the source runs');
}
