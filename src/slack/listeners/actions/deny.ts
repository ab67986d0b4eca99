/** "Deny" on an approval request. */
import type { App } from '@slack/bolt';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';

export function registerDeny(app: App, deps: SlackDeps<ReadEngine>): void {
  app.action(
    'deny',
    actionHandler(deps, (ctx) => deps.approvals.decide(ctx.value, 'denied', ctx.actor, ctx.message, ctx.reply)),
  );
}
