/** Registers every button (stable action_ids: rollback, rollback_to, cancel_deploy, approve, deny, restart, promote, rollback_paused, stop_tail). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerApprove } from './approve';
import { registerCancelDeploy } from './cancel-deploy';
import { registerDeny } from './deny';
import { registerPauseAnswer } from './pause-answer';
import { registerRestart } from './restart';
import { registerRollback } from './rollback';
import { registerRollbackTo } from './rollback-to';
import { registerStopTail } from './stop-tail';

export function register(app: App, deps: SlackDeps): void {
  registerRollback(app, deps);
  registerRollbackTo(app, deps);
  registerCancelDeploy(app, deps);
  registerApprove(app, deps);
  registerDeny(app, deps);
  registerRestart(app, deps);
  registerPauseAnswer(app, deps, 'promote');
  registerPauseAnswer(app, deps, 'rollback_paused');
  registerStopTail(app, deps);
}
