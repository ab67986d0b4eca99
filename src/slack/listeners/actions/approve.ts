/** "Approve" on an approval request. */
import type { App } from '@slack/bolt';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';

export function registerApprove(app: App, deps: SlackDeps<ReadEngine>): void {
  app.action(
    'approve',
    actionHandler(deps, (ctx) => deps.approvals.decide(ctx.value, 'approved', ctx.actor, ctx.message, ctx.reply)),
  );
}
