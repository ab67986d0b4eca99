/** "Shift production traffic" on a paused blue/green deployment (ContinueServiceDeployment CONTINUE). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerPauseAnswer } from './pause-answer';

export function registerPromote(app: App, deps: SlackDeps): void {
  registerPauseAnswer(app, deps, 'promote');
}
