/**
 * The engine's façade: it builds the shared context and composes the flows (one per file under
 * flows/), the change lifecycle, approvals, locks and queries. It knows no AWS SDK and no Slack.
 */
import type { NamedService } from '../config/schema';
import { getService, listServices } from '../config/load';
import { silentLogger } from '../logger';
import type {
  ApprovalRequestInput,
  DeployRequest,
  EngineApi,
  LogsReport,
  LogsRequest,
  Pipeline,
  PromoteRequest,
  PromotionCandidate,
  RestartRequest,
  RollbackRequest,
  ServiceStatus,
  StopRequest,
  VersionReport,
} from './api';
import { EngineApprovals } from './change/approvals';
import { writeAudit } from './change/audit';
import { systemClock } from './clock';
import type { EngineContext, EngineDeps } from './context';
import { deploy } from './flows/deploy';
import { promoteRelease } from './flows/promote-release';
import * as promotion from './promotion/queries';
import type { FlowDeps } from './flows/flow-deps';
import { resume } from './flows/resume';
import { rollback } from './flows/rollback';
import { scale } from './flows/scale';
import { ChangeLifecycle } from './change/lifecycle';
import { newOwnerId } from './change/lease';
import { EngineLocks } from './change/locks';
import type {
  ApprovalRequest,
  AuditEntry,
  ChangeResult,
  DeployRecord,
  EventListener,
  LockInfo,
  Release,
} from './model';
import { CLOCK_SKEW_MS, LEASE_RENEW_MS, LEASE_TTL_MS, type ApprovalDecision } from './ports';
import * as queries from './queries';
import { tailLogs } from './log-tail';
import { recoverChanges } from './change/recover';
import { isValidSha } from './release-ref';
import { invalidInput } from './change/results';
import { ServicePoller } from './watch/service-poller';
import type { Actor, SmokeRun } from './types';
import { Promotions } from './blue-green/promotions';
import type {
  ActiveFreeze,
  AdHocFreeze,
  FreezeListing,
  MetricsQuery,
  PauseAnswerRequest,
  SetFreezeInput,
  TailItem,
  TailRequest,
} from './api';
import { deliveryMetrics } from './delivery-metrics';
import type { DeliveryMetrics } from './metrics';
import { EngineFreezes } from './freeze/freezes';

export type { EngineDeps, ChangeFinished, ChangeFinishedListener } from './context';
export { systemClock } from './clock';

export class Engine implements EngineApi {
  private readonly ctx: EngineContext;
  private readonly lifecycle: ChangeLifecycle;
  private readonly approvals: EngineApprovals;
  private readonly locks: EngineLocks;
  private readonly flows: FlowDeps;
  private readonly promotions: Promotions;
  private readonly freezes: EngineFreezes;
  /** The config never changes while the engine lives: the list is built once. */
  private servicesList: NamedService[] | null = null;

  constructor(deps: EngineDeps) {
    const clock = deps.clock ?? systemClock;
    this.ctx = {
      ...deps,
      clock,
      logger: deps.logger ?? silentLogger(),
      owner: deps.owner ?? newOwnerId(),
      poller: new ServicePoller(deps.ecs, clock),
      onFinished: deps.onFinished ?? [],
      changes: deps.changes ?? null,
      leaseTtlMs: deps.leaseTtlMs ?? LEASE_TTL_MS,
      leaseRenewMs: deps.leaseRenewMs ?? LEASE_RENEW_MS,
      clockSkewMs: deps.clockSkewMs ?? CLOCK_SKEW_MS,
    };
    this.lifecycle = new ChangeLifecycle(this.ctx);
    this.approvals = new EngineApprovals(this.ctx);
    this.locks = new EngineLocks(this.ctx, this.lifecycle);
    this.flows = { ctx: this.ctx, lifecycle: this.lifecycle, approvals: this.approvals };
    this.promotions = new Promotions(this.ctx);
    this.freezes = new EngineFreezes(this.ctx);
  }

  get services(): NamedService[] {
    this.servicesList ??= listServices(this.ctx.config);
    return this.servicesList;
  }

  // ---------- changes ----------

  deploy(req: DeployRequest): Promise<ChangeResult> {
    return deploy(this.flows, req);
  }

  promoteFrom(req: PromoteRequest): Promise<ChangeResult> {
    return promoteRelease(this.flows, req);
  }

  rollback(req: RollbackRequest): Promise<ChangeResult> {
    return rollback(this.flows, req);
  }

  stop(req: StopRequest): Promise<ChangeResult> {
    return scale(this.flows, { kind: 'stop', ...req });
  }

  restart(req: RestartRequest): Promise<ChangeResult> {
    return scale(this.flows, { kind: 'restart', ...req });
  }

  cancel(changeId: string, actor: Actor): Promise<boolean> {
    return this.lifecycle.cancel(changeId, actor);
  }

  async setChangeSlack(changeId: string, slack: { channel: string; ts: string }): Promise<void> {
    const fence = this.lifecycle.fences.tokenOf(changeId);
    await this.ctx.store.updateDeploy(changeId, { slack }, fence === undefined ? undefined : { fence });
  }

  holdsChange(changeId: string): Promise<boolean> {
    return this.lifecycle.fences.current(changeId);
  }

  recover(onEvent?: EventListener): Promise<ChangeResult[]> {
    return recoverChanges(this.ctx, this.lifecycle, (rec) => resume(this.flows, rec, onEvent));
  }

  drain(timeoutMs: number): Promise<void> {
    return this.lifecycle.drain(timeoutMs);
  }

  /** Changes running in this process right now. */
  runningChanges(): string[] {
    return this.lifecycle.runningChanges();
  }

  // ---------- queries ----------

  async status(service: string): Promise<ServiceStatus> {
    const svc = getService(this.ctx.config, service);
    const [status, pipeline] = await Promise.all([queries.status(this.ctx, svc), promotion.pipeline(this.ctx, svc)]);
    return pipeline ? { ...status, pipeline } : status;
  }

  version(service: string): Promise<VersionReport> {
    return queries.version(this.ctx, getService(this.ctx.config, service));
  }

  smoke(service: string, expectSha?: string): Promise<SmokeRun> {
    if (expectSha !== undefined && !isValidSha(expectSha)) throw invalidInput('git SHA must be 7 to 40 hex characters');
    return this.ctx.http.runSmoke(getService(this.ctx.config, service), { expectSha });
  }

  logs(request: LogsRequest): Promise<LogsReport> {
    return queries.logs(this.ctx, getService(this.ctx.config, request.service), request);
  }

  tailLogs(request: TailRequest): AsyncIterable<TailItem> {
    return tailLogs(this.ctx, getService(this.ctx.config, request.service), request);
  }

  async history(filter: { service?: string; limit?: number }): Promise<DeployRecord[]> {
    if (filter.service) getService(this.ctx.config, filter.service);
    return this.ctx.store.listDeploys({ service: filter.service, limit: filter.limit ?? 20 });
  }

  deliveryMetrics(query: MetricsQuery): Promise<DeliveryMetrics> {
    return deliveryMetrics(this.ctx, query);
  }

  async releases(service: string, limit = 10): Promise<Release[]> {
    getService(this.ctx.config, service);
    return queries.releases(this.ctx, service, limit);
  }

  async promotionCandidate(service: string, from?: string): Promise<PromotionCandidate> {
    return promotion.promotionCandidate(this.ctx, getService(this.ctx.config, service), from);
  }

  async pipeline(service: string): Promise<Pipeline | null> {
    return promotion.pipeline(this.ctx, getService(this.ctx.config, service));
  }

  async getChange(changeId: string): Promise<DeployRecord | undefined> {
    return this.ctx.store.getDeploy(changeId);
  }

  async report(changeId: string): Promise<string | undefined> {
    return this.ctx.store.getReport(changeId);
  }

  // ---------- approvals ----------

  requiresApproval(service: string, action: ApprovalRequestInput['action']): boolean {
    return this.approvals.requiresApproval(service, action);
  }

  requestApproval(input: ApprovalRequestInput): Promise<ApprovalRequest> {
    return this.approvals.requestApproval(input);
  }

  decideApproval(id: string, decision: 'approved' | 'denied', by: Actor): Promise<ApprovalDecision> {
    return this.approvals.decideApproval(id, decision, by);
  }

  getApproval(id: string): Promise<ApprovalRequest | undefined> {
    return this.approvals.getApproval(id);
  }

  setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    return this.approvals.setApprovalSlack(id, slack);
  }

  // ---------- paused blue/green deployments ----------

  promote(req: PauseAnswerRequest) {
    return this.promotions.decide({ ...req, action: 'CONTINUE' });
  }

  rollbackPaused(req: PauseAnswerRequest) {
    return this.promotions.decide({ ...req, action: 'ROLLBACK' });
  }

  pausedDeployment(service: string) {
    return this.promotions.paused(service);
  }

  // ---------- freezes ----------

  activeFreezes(service: string): Promise<ActiveFreeze[]> {
    return this.freezes.activeFreezes(service);
  }

  listFreezes(): Promise<FreezeListing> {
    return this.freezes.listFreezes();
  }

  setFreeze(input: SetFreezeInput): Promise<AdHocFreeze> {
    return this.freezes.setFreeze(input);
  }

  clearFreeze(scope: string, actor: Actor): Promise<AdHocFreeze | undefined> {
    return this.freezes.clearFreeze(scope, actor);
  }

  // ---------- locks and audit ----------

  getLock(service: string): Promise<LockInfo | undefined> {
    return this.locks.getLock(service);
  }

  breakLock(service: string, actor: Actor, options: { force?: boolean } = {}): Promise<LockInfo | undefined> {
    return this.locks.breakLock(service, actor, options);
  }

  audit(entry: Omit<AuditEntry, 'at' | 'id'>): Promise<void> {
    return writeAudit(this.ctx, entry);
  }
}
