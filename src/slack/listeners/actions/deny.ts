/** "Deny" on an approval request. */
import type { App } from '@slack/bolt';
import type { Approvals } from '../../../engine/api';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actionHandler } from './action-handler';
import { handleApprovalClick } from './approval-click';

export function registerDeny(app: App, deps: SlackDeps<ReadEngine & Pick<Approvals, 'getApproval'>>): void {
  app.action(
    'deny',
    actionHandler(deps, (ctx) => handleApprovalClick(deps, ctx, 'denied')),
  );
}
