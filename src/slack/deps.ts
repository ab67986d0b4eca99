/** What every listener gets: the engine, config, Slack client, authorisation and the shared flows. */
import type { Config } from '../config/schema';
import type { Approvals, Changes, Freezes, Locks, Promotions, Queries } from '../engine/api';
import type { Actor } from '../engine/types';
import type { Logger } from '../logger';
import type { ApprovalFlow } from './approval-flow';
import type { Authorizer } from './auth';
import type { ChangeRunner } from './change-runner';
import type { BotClient } from './bot-client';
import type { SharedStatus } from './shared-status';
import type { AuditLog } from './refusals';
import type { LogTails } from './log-tails';

export interface Lifecycle {
  /** False once shutdown began: new commands and clicks are refused politely. */
  accepting: boolean;
}

export type { AuditLog } from './refusals';

/**
 * The engine roles the bot uses: changes and reads, two-person approvals, the lock check before a
 * button starts a change, the answers to a paused blue/green deployment, freezes, and the audit
 * log. Never lock breaking.
 */
export type SlackEngine = Changes &
  Queries &
  Approvals &
  Pick<Locks, 'getLock'> &
  Pick<Promotions, 'promote' | 'rollbackPaused'> &
  Freezes &
  AuditLog;

/** The engine roles a listener that only reads needs (its refusals are audited). */
export type ReadEngine = Queries & AuditLog;

/** The engine roles a listener that starts a change needs besides reads: the lock check and whether a second person must approve. */
export type StartChangeEngine = ReadEngine &
  Pick<Locks, 'getLock'> &
  Pick<Approvals, 'requiresApproval'> &
  Pick<Freezes, 'activeFreezes'>;

/** What every listener gets; a listener names the engine roles it uses (`SlackDeps<ReadEngine>`). */
export interface SlackDeps<E extends ReadEngine = SlackEngine> {
  engine: E;
  config: Config;
  logger: Logger;
  client: BotClient;
  auth: Authorizer;
  lifecycle: Lifecycle;
  changes: ChangeRunner;
  approvals: ApprovalFlow;
  /** `/status` answers shared by requests for the same service within a second. */
  statuses: SharedStatus;
  /** Milliseconds to wait for one service's status on the Home tab. */
  homeStatusTimeoutMs: number;
  /** `/logs … follow`: the live tails this process runs (ended at shutdown). */
  tails: LogTails;
}

export type { Reply } from './reply';

export function slackActor(user: { id: string; name?: string; username?: string }): Actor {
  return { id: user.id, name: user.username ?? user.name ?? user.id, via: 'slack' };
}

export const SHUTTING_DOWN = ':hourglass: The bot is shutting down; try again in a minute.';
