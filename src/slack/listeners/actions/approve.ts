/** "Approve" on an approval request. */
import type { App } from '@slack/bolt';
import type { Approvals } from '../../../engine/api';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';
import { handleApprovalClick } from './approval-click';

export function registerApprove(app: App, deps: SlackDeps<ReadEngine & Pick<Approvals, 'getApproval'>>): void {
  app.action(
    'approve',
    actionHandler(deps, (ctx) => handleApprovalClick(deps, ctx, 'approved')),
  );
}
