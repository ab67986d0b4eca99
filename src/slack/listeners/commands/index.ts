/** Registers every slash command. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerDeploy } from './deploy';
import { registerEmergencyStop } from './emergency-stop';
import { registerDeploys } from './deploys';
import { registerLogs } from './logs';
import { registerSmoke } from './smoke';
import { registerStatus } from './status';
import { registerVersion } from './version';
import { registerRestart } from './restart';
import { registerRollback } from './rollback';

export function register(app: App, deps: SlackDeps): void {
  registerDeploy(app, deps);
  registerRollback(app, deps);
  registerStatus(app, deps);
  registerVersion(app, deps);
  registerSmoke(app, deps);
  registerLogs(app, deps);
  registerEmergencyStop(app, deps);
  registerRestart(app, deps);
  registerDeploys(app, deps);
}
