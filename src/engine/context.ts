/** What the engine is built from (its ports and options), and what its modules share. */
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { ChangesPort } from './changes';
import type { ChangeResult, DeployRecord } from './model';
import type { Clock, EcrPort, EcsPort, ElbPort, HttpChecksPort, LogsPort, StorePort } from './ports';
import type { ServicePoller } from './watch/service-poller';

/** A finished change, as its listeners see it before the engine answers. */
export interface ChangeFinished {
  result: ChangeResult;
  /** The durable record as it stands when the change ends. */
  record: DeployRecord | undefined;
}

/**
 * Told when a change finishes, awaited before the result is returned. May name where a report
 * was written (it becomes the result's `reportPath`); a listener that throws is logged and ignored.
 */
export type ChangeFinishedListener = (finished: ChangeFinished) => Promise<{ reportPath?: string | null } | undefined>;

export interface EngineDeps {
  config: Config;
  ecr: EcrPort;
  ecs: EcsPort;
  elb: ElbPort;
  logs: LogsPort;
  http: HttpChecksPort;
  store: StorePort;
  clock?: Clock;
  logger?: Logger;
  /** Identifies this process in locks and records (default: random per process, with the hostname). */
  owner?: string;
  /** How long a change's lease lives unless renewed (default LEASE_TTL_MS, 30 s). */
  leaseTtlMs?: number;
  /** How often the process running a change renews its lease and reads its record for a cancel request (default LEASE_RENEW_MS, 10 s). */
  leaseRenewMs?: number;
  /**
   * How far apart the clocks of processes sharing the store may be (default CLOCK_SKEW_MS, 5 s):
   * a lease is taken over only once it ran out this long ago.
   */
  clockSkewMs?: number;
  /** Listeners of finished changes (the report writer). */
  onFinished?: ChangeFinishedListener[];
  /** Reads the commits a deploy ships (GitHub); without it, deploys show no changes. */
  changes?: ChangesPort;
}

export interface EngineContext extends Required<Omit<EngineDeps, 'onFinished' | 'changes'>> {
  poller: ServicePoller;
  onFinished: ChangeFinishedListener[];
  changes: ChangesPort | null;
}
