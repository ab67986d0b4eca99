/** `/deploy <service> <git-sha> [--skip-smoke] [--dry-run] [force]`, and `/deploy <service> from <source> [force]` */
import type { App } from '@slack/bolt';
import { parseDeploy } from '../../command-parse';
import type { Changes } from '../../../engine/api';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { dryRunView } from '../../views/dry-run';
import { commandHandler } from './command-handler';
import { startChange } from './start-change';
import { startPromotion, type PromoteEngine } from './promote-from';

export function registerDeploy(
  app: App,
  deps: SlackDeps<StartChangeEngine & Pick<Changes, 'deploy'> & PromoteEngine>,
): void {
  app.command(
    '/deploy',
    commandHandler(deps, async (ctx) => {
      const parsed = parseDeploy(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if (await ctx.answerUsage(parsed)) return;
      if (parsed.kind !== 'ok') return;
      if (!(await ctx.authorise('deploy', parsed.args.service))) return;
      if ('from' in parsed.args) return startPromotion(deps, ctx, parsed.args);
      const { service, sha, skipSmoke, dryRun, force } = parsed.args;
      if (dryRun) {
        const result = await deps.engine.deploy({ service, sha, skipSmoke, dryRun: true, actor: ctx.actor });
        if (result.error) return ctx.reply(`:x: ${result.error.message}`);
        return ctx.show(dryRunView(result), 'ephemeral');
      }
      await startChange(deps, ctx, { kind: 'deploy', service, sha, skipSmoke, force }, `deploy ${sha}`);
    }),
  );
}
