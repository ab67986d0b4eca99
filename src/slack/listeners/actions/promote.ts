/** "Shift production traffic" on a paused blue/green deployment (ContinueServiceDeployment CONTINUE). */
import type { App } from '@slack/bolt';
import type { Promotions } from '../../../engine/api';
import type { ReadEngine, SlackDeps } from '../../deps';
import { registerPauseAnswer } from './pause-answer';

export function registerPromote(app: App, deps: SlackDeps<ReadEngine & Pick<Promotions, 'promote' | 'rollbackPaused'>>): void {
  registerPauseAnswer(app, deps, 'promote');
}
