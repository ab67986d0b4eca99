/** `/emergency-stop <service> <reason>`: always asks a second person before setting desired to 0. */
import type { App } from '@slack/bolt';
import { parseStop } from '../../command-parse';
import type { Approvals } from '../../../engine/api';
import type { ReadEngine, SlackDeps } from '../../deps';
import { commandHandler } from './command-handler';

export function registerEmergencyStop(
  app: App,
  deps: SlackDeps<ReadEngine & Pick<Approvals, 'requiresApproval'>>,
): void {
  app.command(
    '/emergency-stop',
    commandHandler(deps, async (ctx) => {
      const parsed = parseStop(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { service, reason } = parsed.args;
      if (!(await ctx.authorise('stop', service))) return;
      await deps.approvals.request(
        { kind: 'stop', service, reason },
        { requester: ctx.actor, reason, channel: ctx.channel },
      );
      await ctx.reply(
        `:raised_hand: Emergency stop of ${service} requested; it runs once an approver (not you) clicks Approve.`,
      );
    }),
  );
}
