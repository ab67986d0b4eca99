/** "Approve" on an approval request. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';
import { handleApprovalClick } from './approval-click';

export function registerApprove(app: App, deps: SlackDeps): void {
  app.action(
    'approve',
    actionHandler(deps, (ctx) => handleApprovalClick(deps, ctx, 'approved')),
  );
}
