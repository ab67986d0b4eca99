/** `/rollback <service> [revision | git-sha]`: without a target, a picker of recent releases. */
import type { App } from '@slack/bolt';
import { parseRollback } from '../../command-parse';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { releasesPickerView } from '../../views/releases';
import { commandHandler } from './command-handler';
import { startChange } from './start-change';

export function registerRollback(app: App, deps: SlackDeps<StartChangeEngine>): void {
  app.command(
    '/rollback',
    commandHandler(deps, async (ctx) => {
      const parsed = parseRollback(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if (await ctx.answerUsage(parsed)) return;
      if (parsed.kind !== 'ok') return;
      const { service, target } = parsed.args;
      if (!(await ctx.authorise('rollback', service))) return;
      // The picker shows digests and who released what: readers only.
      if (!target && !(await ctx.authorise('read', service))) return;
      if (!target) return ctx.show(releasesPickerView(service, await deps.engine.releases(service, 100)), 'ephemeral');
      const what = target.kind === 'sha' ? target.sha : target.revision;
      await startChange(deps, ctx, { kind: 'rollback', service, target }, `roll back to ${what}`);
    }),
  );
}
