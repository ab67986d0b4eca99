/** Registers every slash command. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { ReadGate } from '../../read-limits';
import { registerDeploy } from './deploy';
import { registerEmergencyStop } from './emergency-stop';
import { registerDeploys } from './deploys';
import { registerFreeze } from './freeze';
import { registerLogs } from './logs';
import { registerSmoke } from './smoke';
import { registerStatus } from './status';
import { registerVersion } from './version';
import { registerRestart } from './restart';
import { registerRollback } from './rollback';

/** `reads`: the limits on reads that cost production something (one gate for all commands, from `slack.readLimits`). */
export function register(
  app: App,
  deps: SlackDeps,
  reads: ReadGate = new ReadGate(deps.config.slack.readLimits),
): void {
  registerDeploy(app, deps);
  registerRollback(app, deps);
  registerStatus(app, deps, reads);
  registerVersion(app, deps);
  registerSmoke(app, deps, reads);
  registerLogs(app, deps, reads);
  registerEmergencyStop(app, deps);
  registerRestart(app, deps);
  registerDeploys(app, deps);
  registerFreeze(app, deps);
}
