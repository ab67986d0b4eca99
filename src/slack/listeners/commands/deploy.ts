/** `/deploy <service> <git-sha> [--skip-smoke] [--dry-run] [force]` */
import type { App } from '@slack/bolt';
import { parseDeploy } from '../../command-parse';
import type { Changes } from '../../../engine/api';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { dryRunView } from '../../views/dry-run';
import { commandHandler } from './command-handler';
import { startChange } from './start-change';

export function registerDeploy(app: App, deps: SlackDeps<StartChangeEngine & Pick<Changes, 'deploy'>>): void {
  app.command(
    '/deploy',
    commandHandler(deps, async (ctx) => {
      const parsed = parseDeploy(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if (await ctx.answerUsage(parsed)) return;
      if (parsed.kind !== 'ok') return;
      const { service, sha, skipSmoke, dryRun, force } = parsed.args;
      if (!(await ctx.authorise('deploy', service))) return;
      if (dryRun) {
        const result = await deps.engine.deploy({ service, sha, skipSmoke, dryRun: true, actor: ctx.actor });
        if (result.error) return ctx.reply(`:x: ${result.error.message}`);
        return ctx.show(dryRunView(result), 'ephemeral');
      }
      await startChange(deps, ctx, { kind: 'deploy', service, sha, skipSmoke, force }, `deploy ${sha}`);
    }),
  );
}
