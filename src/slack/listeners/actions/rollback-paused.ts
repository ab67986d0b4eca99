/** "Roll back" on a paused blue/green deployment (ContinueServiceDeployment ROLLBACK): production never leaves blue. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerPauseAnswer } from './pause-answer';

export function registerRollbackPaused(app: App, deps: SlackDeps): void {
  registerPauseAnswer(app, deps, 'rollback_paused');
}
