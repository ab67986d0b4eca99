/** "Deny" on an approval request. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';

export function registerDeny(app: App, deps: SlackDeps): void {
  app.action(
    'deny',
    actionHandler(deps, (ctx) => deps.approvals.decide(ctx.value, 'denied', ctx.actor, ctx.message, ctx.reply)),
  );
}
