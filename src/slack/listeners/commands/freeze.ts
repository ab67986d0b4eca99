/** `/freeze <service|all> <duration> <reason>` and `/unfreeze <service|all>`: ad-hoc freezes, for people in `access.freeze`. */
import type { App } from '@slack/bolt';
import { parseFreeze, parseUnfreeze } from '../../command-parse';
import type { ActiveFreeze, Freezes } from '../../../engine/api';
import { ALL_SERVICES } from '../../../engine/freeze/model';
import type { ReadEngine, SlackDeps } from '../../deps';
import { message, section } from '../../views/blocks';
import { freezeSetText, unfreezeText } from '../../views/freeze';
import { commandHandler } from './command-handler';

export type FreezeEngine = ReadEngine & Freezes;

/** What still holds after lifting `scope`: its own freezes, or every freeze in force for `all`. */
async function stillInForce(engine: FreezeEngine, scope: string): Promise<ActiveFreeze[]> {
  if (scope !== ALL_SERVICES) return engine.activeFreezes(scope);
  const listing = await engine.listFreezes();
  return [...listing.adHoc, ...listing.windows.filter((w) => w.active)];
}

export function registerFreeze(app: App, deps: SlackDeps<FreezeEngine>): void {
  const services = () => deps.engine.services.map((s) => s.name);
  app.command(
    '/freeze',
    commandHandler(deps, async (ctx) => {
      const parsed = parseFreeze(ctx.command.text, services());
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { scope, durationMs, reason } = parsed.args;
      if (!(await ctx.authorise('freeze', scope === ALL_SERVICES ? undefined : scope))) return;
      const freeze = await deps.engine.setFreeze({ scope, durationMs, reason, actor: ctx.actor });
      const text = freezeSetText(freeze);
      await ctx.show(message(text, [section(text)]), 'in_channel');
    }),
  );
  app.command(
    '/unfreeze',
    commandHandler(deps, async (ctx) => {
      const parsed = parseUnfreeze(ctx.command.text, services());
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { scope } = parsed.args;
      if (!(await ctx.authorise('freeze', scope === ALL_SERVICES ? undefined : scope))) return;
      const removed = await deps.engine.clearFreeze(scope, ctx.actor);
      const text = unfreezeText(scope, removed, ctx.actor, await stillInForce(deps.engine, scope));
      if (!removed) return ctx.reply(text);
      await ctx.show(message(text, [section(text)]), 'in_channel');
    }),
  );
}
