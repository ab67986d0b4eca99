import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Clock, EcrPort, EcsPort, ElbPort, HttpChecksPort, LogsPort, ReportSink, StorePort } from './ports';
import type { ServicePoller } from './service-poller';

export interface EngineDeps {
  config: Config;
  ecr: EcrPort;
  ecs: EcsPort;
  elb: ElbPort;
  logs: LogsPort;
  http: HttpChecksPort;
  store: StorePort;
  clock?: Clock;
  reports?: ReportSink;
  logger?: Logger;
  /** Identifies this process in locks and records (`host:pid`). */
  owner?: string;
  /** Tells whether a lock/record owner process is still alive (default: same host and pid alive). */
  isOwnerAlive?: (owner: string) => boolean;
}

export interface EngineContext extends Required<Omit<EngineDeps, 'reports' | 'isOwnerAlive'>> {
  reports: ReportSink | null;
  poller: ServicePoller;
  isOwnerAlive: (owner: string) => boolean;
}
