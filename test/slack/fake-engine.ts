/**
 * A scripted EngineApi for the Slack tests: changes emit realistic event sequences (phases,
 * progress, service events, targets, smoke, logs, outcome) on a short timer, with locks,
 * approvals, history and cancel behaving like the real engine's contracts say.
 */
import { listServices } from '../../src/config/load';
import type { ChangeAction, Config, NamedService } from '../../src/config/schema';
import type {
  ApprovalRequestInput,
  PauseAnswerRequest,
  PausedDeployment,
  PromotionResult,
  DeployRequest,
  EngineApi,
  LogsReport,
  LogsRequest,
  RestartRequest,
  RollbackRequest,
  ServiceStatus,
  StopRequest,
  VersionReport,
} from '../../src/engine/api';
import type { ApprovalRequest, AuditEntry, ChangeKind, DeployRecord, ChangeResult, EngineEvent, EventListener, LockInfo, Outcome, PhaseName, PhaseResult, Release } from '../../src/engine/model';
import type { ApprovalDecision } from '../../src/engine/ports';
import type { Actor, SmokeResult, SmokeRun } from '../../src/engine/types';

export interface FakeEngineOptions {
  /** Pause between two scripted events (ms). */
  stepMs?: number;
  /** Progress events during the rollout. */
  progressTicks?: number;
  /** Outcome of the next deploys ('succeeded' or 'rolled_back'). */
  deployOutcome?: 'succeeded' | 'rolled_back';
}

const td = (family: string, rev: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${rev}`;
const DIGEST = `sha256:${'ab'.repeat(32)}`;

export class FakeEngine implements EngineApi {
  readonly services: NamedService[];
  readonly calls: { method: string; args: any }[] = [];
  readonly audits: AuditEntry[] = [];
  readonly changes = new Map<string, DeployRecord>();
  readonly approvals = new Map<string, ApprovalRequest>();
  readonly locks = new Map<string, LockInfo>();
  readonly revisions = new Map<string, number>();
  readonly desired = new Map<string, number>();
  readonly kept = new Map<string, number>();
  /** When set, rollouts wait on it (to keep a change running). */
  gate: Promise<void> | null = null;
  /** When set, smoke runs wait on it (to keep one running while others arrive). */
  smokeGate: Promise<void> | null = null;
  /** Services whose status() fails or hangs (Home tab tests). */
  readonly statusFailures = new Map<string, 'error' | 'hang'>();
  private readonly aborts = new Map<string, AbortController>();
  private readonly running = new Set<Promise<unknown>>();
  private seq = 0;
  private draining = false;

  constructor(
    private readonly config: Config,
    private readonly options: FakeEngineOptions = {},
  ) {
    this.services = listServices(config);
    for (const s of this.services) {
      this.revisions.set(s.name, 41);
      this.desired.set(s.name, 2);
    }
  }

  setOptions(options: FakeEngineOptions): void {
    Object.assign(this.options, options);
  }

  /** Holds rollouts until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((r) => (release = r));
    return () => {
      this.gate = null;
      release();
    };
  }

  /** Holds smoke runs until the returned function is called. */
  holdSmoke(): () => void {
    let release!: () => void;
    this.smokeGate = new Promise<void>((r) => (release = r));
    return () => {
      this.smokeGate = null;
      release();
    };
  }

  // ---------- changes ----------

  deploy(req: DeployRequest): Promise<ChangeResult> {
    this.calls.push({ method: 'deploy', args: strip(req) });
    const svc = this.service(req.service);
    if (req.dryRun) return Promise.resolve(this.dryRun(svc, req));
    return this.track(this.runChange('deploy', svc, req, req.sha));
  }

  rollback(req: RollbackRequest): Promise<ChangeResult> {
    this.calls.push({ method: 'rollback', args: strip(req) });
    return this.track(this.runChange('rollback', this.service(req.service), req, req.target.kind === 'sha' ? req.target.sha : null));
  }

  async stop(req: StopRequest): Promise<ChangeResult> {
    this.calls.push({ method: 'stop', args: strip(req) });
    return this.track(this.scale('stop', req.service, req, 0));
  }

  async restart(req: RestartRequest): Promise<ChangeResult> {
    this.calls.push({ method: 'restart', args: strip(req) });
    const count = req.count ?? this.kept.get(req.service);
    if (count === undefined) return simple(req.service, false, 'invalid', 'nothing to restore: no kept count; give one', { code: 'nothing_to_restore', message: `no desired count kept for ${req.service}; give one` });
    return this.track(this.scale('restart', req.service, req, count));
  }

  async cancel(changeId: string, actor: Actor): Promise<boolean> {
    this.calls.push({ method: 'cancel', args: { changeId, actor } });
    const a = this.aborts.get(changeId);
    if (!a || a.signal.aborted) return false;
    a.abort();
    return true;
  }

  // ---------- reads ----------

  async status(service: string): Promise<ServiceStatus> {
    const svc = this.service(service);
    const failure = this.statusFailures.get(service);
    if (failure === 'error') throw new Error(`describe ${service} failed: AccessDenied`);
    if (failure === 'hang') await new Promise((r) => setTimeout(r, 60_000).unref());
    const rev = this.revisions.get(service) ?? 1;
    const desired = this.desired.get(service) ?? 0;
    return {
      service: svc,
      state: {
        cluster: svc.cluster,
        serviceName: svc.service,
        status: 'ACTIVE',
        taskDefinition: td(service, rev),
        desiredCount: desired,
        runningCount: desired,
        pendingCount: 0,
        deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(service, rev), desiredCount: desired, runningCount: desired, pendingCount: 0, failedTasks: 0, rolloutState: 'COMPLETED' }],
        events: [{ id: 'e1', createdAt: new Date(Date.now() - 60_000), message: `(service ${svc.service}) has reached a steady state.` }],
      },
      taskDefinition: { arn: td(service, rev), family: service, revision: rev, containers: [{ name: svc.container, image: `repo@${DIGEST}` }], tags: [], registrable: {} },
      revision: `${service}:${rev}`,
      image: `repo@${DIGEST}`,
      digest: DIGEST,
      targets: null,
      targetCounts: { healthy: desired },
      lock: this.locks.get(service) ?? null,
      pendingApprovals: [...this.approvals.values()].filter((a) => a.service === service && a.status === 'pending'),
      lastDeploy: this.records({ service, limit: 1 })[0] ?? null,
      keptCount: this.kept.get(service) ?? null,
      warnings: [],
    };
  }

  async version(service: string): Promise<VersionReport> {
    this.service(service);
    return {
      service,
      endpoint: { url: `https://${service}.example.com/api/v1/version`, gitSha: 'abc1234def', buildTime: '2024-05-01T10:00:00Z', status: 200 },
      running: { taskDefinition: td(service, this.revisions.get(service) ?? 1), image: `repo@${DIGEST}`, digest: DIGEST, sha: 'abc1234def' },
      agreement: 'agree',
    };
  }

  async smoke(service: string, expectSha?: string): Promise<SmokeRun> {
    this.calls.push({ method: 'smoke', args: { service, expectSha } });
    if (this.smokeGate) await this.smokeGate;
    return { results: SMOKE_RESULTS, passed: true, ms: 420 };
  }

  async logs(request: LogsRequest): Promise<LogsReport> {
    this.calls.push({ method: 'logs', args: request });
    return {
      service: request.service,
      logGroup: `/ecs/${request.service}`,
      pattern: request.pattern ?? 'ERROR',
      since: new Date(Date.now() - (request.sinceMs ?? 1_800_000)).toISOString(),
      events: [{ timestamp: new Date(), message: 'ERROR payment gateway timeout after 30000ms' }],
      truncated: false,
    };
  }

  async history(filter: { service?: string; limit?: number }): Promise<DeployRecord[]> {
    return this.records(filter);
  }

  private records(filter: { service?: string; limit?: number }): DeployRecord[] {
    return [...this.changes.values()]
      .filter((c) => !filter.service || c.service === filter.service)
      .reverse()
      .slice(0, filter.limit ?? 20);
  }

  async releases(service: string, limit = 20): Promise<Release[]> {
    const ok = this.records({ service, limit: 1000 }).filter((c) => c.outcome === 'succeeded' && c.kind === 'deploy');
    const rev = this.revisions.get(service);
    return ok.slice(0, limit).map((c) => ({
      deployId: c.id,
      sha: c.sha,
      digest: c.digest,
      taskDefinition: c.toTaskDefinition ?? '',
      at: c.startedAt,
      actor: c.actor,
      current: c.toTaskDefinition === td(service, rev ?? 0),
    }));
  }

  async getChange(changeId: string): Promise<DeployRecord | undefined> {
    return this.changes.get(changeId);
  }

  async report(): Promise<string | undefined> {
    return undefined;
  }

  async setChangeSlack(changeId: string, slack: { channel: string; ts: string }): Promise<void> {
    const c = this.changes.get(changeId);
    if (c) c.slack = slack;
  }

  // ---------- approvals ----------

  requiresApproval(service: string, action: ChangeAction): boolean {
    return this.service(service).requireApproval.includes(action);
  }

  async requestApproval(input: ApprovalRequestInput): Promise<ApprovalRequest> {
    const svc = this.service(input.service);
    this.seq += 1;
    const now = Date.now();
    const request: ApprovalRequest = {
      id: `a-${this.seq}`,
      service: input.service,
      action: input.action,
      params: input.params ?? {},
      requester: input.requester,
      reason: input.reason,
      impact: input.action === 'stop' ? `desired ${this.desired.get(input.service)} → 0` : `${input.action} ${input.service}`,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + svc.timeouts.approval).toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      slack: null,
    };
    this.approvals.set(request.id, request);
    this.audit({ actor: input.requester, action: 'approval.requested', service: input.service, details: { id: request.id } });
    return { ...request };
  }

  async decideApproval(id: string, decision: 'approved' | 'denied', by: Actor): Promise<ApprovalDecision> {
    this.calls.push({ method: 'decideApproval', args: { id, decision, by: by.id } });
    const a = this.approvals.get(id);
    // Like the engine: a refused decision is audited as `approval.<decision>.refused` with its reason.
    const refuse = (reason: 'not_found' | 'already_decided' | 'expired' | 'self_approval'): ApprovalDecision => {
      this.audit({ actor: by, action: `approval.${decision}.refused`, service: a?.service ?? null, details: { approvalId: id, reason } });
      return { ok: false, reason, request: a ? { ...a } : null } as ApprovalDecision;
    };
    if (!a) return refuse('not_found');
    if (a.status !== 'pending') return refuse('already_decided');
    if (Date.now() > Date.parse(a.expiresAt)) {
      a.status = 'expired';
      return refuse('expired');
    }
    if (decision === 'approved' && by.id === a.requester.id) return refuse('self_approval');
    Object.assign(a, { status: decision, decidedBy: by, decidedAt: new Date().toISOString() });
    this.audit({ actor: by, action: `approval.${decision}`, service: a.service, details: { id } });
    return { ok: true, request: { ...a } };
  }

  async getApproval(id: string): Promise<ApprovalRequest | undefined> {
    const a = this.approvals.get(id);
    return a && { ...a };
  }

  async setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    const a = this.approvals.get(id);
    if (a) a.slack = slack;
  }

  // ---------- locks, audit, lifecycle ----------

  async getLock(service: string): Promise<LockInfo | undefined> {
    return this.locks.get(service);
  }

  async breakLock(service: string): Promise<LockInfo | undefined> {
    const l = this.locks.get(service);
    this.locks.delete(service);
    return l;
  }

  async promote(req: PauseAnswerRequest): Promise<PromotionResult> {
    this.calls.push({ method: 'promote', args: req });
    return { ok: false, code: 'not_paused', service: req.service, message: `${req.service} is not waiting at a pause hook; nothing was done.` };
  }

  async rollbackPaused(req: PauseAnswerRequest): Promise<PromotionResult> {
    this.calls.push({ method: 'rollbackPaused', args: req });
    return { ok: false, code: 'not_paused', service: req.service, message: `${req.service} is not waiting at a pause hook; nothing was done.` };
  }

  async pausedDeployment(_service: string): Promise<PausedDeployment | null> {
    return null;
  }

  async audit(entry: Omit<AuditEntry, 'at' | 'id'>): Promise<void> {
    this.audits.push({ ...entry, at: new Date().toISOString() });
  }

  async recover(): Promise<ChangeResult[]> {
    return [];
  }

  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const timeout = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
  }

  // ---------- the script ----------

  private service(name: string): NamedService {
    const svc = this.services.find((s) => s.name === name);
    if (!svc) throw Object.assign(new Error(`unknown service "${name}"`), { code: 'unknown_service' });
    return svc;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  private async runChange(kind: 'deploy' | 'rollback', svc: NamedService, req: DeployRequest | RollbackRequest, sha: string | null): Promise<ChangeResult> {
    const startedAt = new Date().toISOString();
    const refusal = this.refusal(kind, svc, req.actor, sha, startedAt);
    if (refusal) return refusal;
    const id = this.begin(kind, svc, req.actor, sha, startedAt);
    const emit = this.emitter(id, svc.name, req.onEvent);
    const abort = new AbortController();
    this.aborts.set(id, abort);
    const phases: PhaseResult[] = [];
    try {
      await req.onStart?.(id);
      const from = td(svc.name, this.revisions.get(svc.name) ?? 1);
      let to: string;
      emit({ type: 'change_started', kind, actor: req.actor, sha, fromTaskDefinition: null });
      await this.phase(emit, phases, 'read_service', 'ok', `runs ${svc.name}:${this.revisions.get(svc.name)}`);
      if (kind === 'deploy') {
        await this.phase(emit, phases, 'resolve_image', 'ok', `${svc.ecrRepository}:${sha} → ${DIGEST.slice(0, 19)}`);
        if (this.requiresApproval(svc.name, 'deploy')) {
          const a = req.approvalId ? this.approvals.get(req.approvalId) : undefined;
          if (!a || a.status !== 'approved') return this.end(id, kind, svc, sha, phases, 'refused', 'approval required', emit, { code: 'approval_required', message: `deploy of ${svc.name} needs a second person's approval` });
          a.status = 'used';
        }
        to = td(svc.name, (this.revisions.get(svc.name) ?? 1) + 1);
        await this.phase(emit, phases, 'register', 'ok', `→ ${svc.name}:${(this.revisions.get(svc.name) ?? 1) + 1}`);
      } else {
        const target = (req as RollbackRequest).target;
        const rev = target.kind === 'revision' ? Number(target.revision.split(':').pop()) : (this.revisions.get(svc.name) ?? 2) - 1;
        to = td(svc.name, rev);
      }
      emit({ type: 'plan', digest: DIGEST, image: `repo@${DIGEST}`, fromTaskDefinition: from, toTaskDefinition: to });
      this.patch(id, { fromTaskDefinition: from, toTaskDefinition: to, digest: DIGEST });
      const cancelled = await this.rollout(emit, phases, to, abort.signal);
      const failed = cancelled || (kind === 'deploy' && this.options.deployOutcome === 'rolled_back');
      if (!failed) {
        emit({ type: 'targets', targets: [{ id: '10.0.1.10', port: 8080, state: 'healthy' }, { id: '10.0.1.11', port: 8080, state: 'healthy' }] });
        await this.phase(emit, phases, 'targets', 'ok', '2/2 healthy');
        emit({ type: 'smoke', results: SMOKE_RESULTS });
        await this.phase(emit, phases, 'smoke', 'ok', '10 checks passed');
        emit({ type: 'logs', findings: { pattern: 'ERROR', count: 1, sample: [{ timestamp: new Date().toISOString(), message: 'ERROR cache miss storm' }], truncated: false } });
        await this.phase(emit, phases, 'logs', 'ok', '1 matching line');
        this.revisions.set(svc.name, Number(to.split(':').pop()));
        return this.end(id, kind, svc, sha, phases, 'succeeded', `${svc.name} ${kind === 'deploy' ? 'deployed' : 'rolled back'} (${to.split('/').pop()})`, emit, null, to);
      }
      const reason = cancelled ? `cancelled by a person` : 'smoke test "readiness" failed';
      if (!cancelled) {
        emit({ type: 'smoke', results: SMOKE_RESULTS.map((r) => (r.name === 'readiness' ? { ...r, status: 'fail' as const, reason: 'ready=false' } : r)) });
        await this.phase(emit, phases, 'smoke', 'failed', reason);
      }
      emit({ type: 'rollback_started', reason, toTaskDefinition: from });
      await this.phase(emit, phases, 'rollback', 'ok', `back on ${from.split('/').pop()}`);
      return this.end(id, kind, svc, sha, phases, 'rolled_back', `${svc.name} ${kind} failed (${reason}); rolled back to ${from.split('/').pop()}`, emit, null, from, { phase: cancelled ? 'rollout' : 'smoke', reason });
    } finally {
      this.aborts.delete(id);
      this.locks.delete(svc.name);
    }
  }

  private refusal(kind: ChangeKind, svc: NamedService, actor: Actor, sha: string | null, at: string): ChangeResult | null {
    if (this.draining) return result(kind, svc.name, sha, actor, at, 'refused', [], 'shutting down', null, { code: 'lock_held', message: 'the engine is shutting down' });
    const lock = this.locks.get(svc.name);
    if (!lock) return null;
    return result(kind, svc.name, sha, actor, at, 'refused', [], `${svc.name} is busy`, null, { code: 'lock_held', message: `${svc.name} is locked by a ${lock.action} of ${lock.actor.name}` });
  }

  private begin(kind: ChangeKind, svc: NamedService, actor: Actor, sha: string | null, startedAt: string): string {
    this.seq += 1;
    const id = `d-${this.seq}`;
    this.locks.set(svc.name, { service: svc.name, action: kind, changeId: id, actor, owner: 'test:1', acquiredAt: startedAt });
    this.changes.set(id, {
      id, kind, service: svc.name, sha, digest: null, image: null, fromTaskDefinition: null, toTaskDefinition: null, finalTaskDefinition: null,
      outcome: 'running', actor, startedAt, finishedAt: null, phases: [], result: null, owner: 'test:1', slack: null, reportPath: null,
    });
    return id;
  }

  private patch(id: string, patch: Partial<DeployRecord>): void {
    const c = this.changes.get(id);
    if (c) Object.assign(c, patch);
  }

  private emitter(changeId: string, service: string, onEvent?: EventListener): (e: DistributiveOmit<EngineEvent, 'changeId' | 'service' | 'at'>) => void {
    return (e) => onEvent?.({ ...e, changeId, service, at: new Date().toISOString() } as EngineEvent);
  }

  private async phase(emit: ReturnType<FakeEngine['emitter']>, phases: PhaseResult[], name: PhaseName, status: PhaseResult['status'], detail: string): Promise<void> {
    const startedAt = new Date().toISOString();
    emit({ type: 'phase_started', phase: name });
    await this.step();
    const r: PhaseResult = { name, status, startedAt, finishedAt: new Date().toISOString(), detail };
    phases.push(r);
    emit({ type: 'phase_finished', phase: name, result: r, ms: 1 });
  }

  /** @returns true when cancelled. */
  private async rollout(emit: ReturnType<FakeEngine['emitter']>, phases: PhaseResult[], to: string, signal: AbortSignal): Promise<boolean> {
    const startedAt = new Date().toISOString();
    emit({ type: 'phase_started', phase: 'rollout' });
    const ticks = this.options.progressTicks ?? 4;
    for (let i = 0; i <= ticks; i += 1) {
      if (signal.aborted) break;
      const running = Math.min(2, Math.floor((i * 2) / Math.max(1, ticks)));
      emit({ type: 'progress', phase: 'rollout', taskDefinition: to, running, desired: 2, pending: 2 - running, rolloutState: i === ticks ? 'COMPLETED' : 'IN_PROGRESS' });
      if (i === 1) emit({ type: 'service_event', event: { id: `ev-${i}`, createdAt: new Date(), message: `(service backend) has started 2 tasks: (task ${'x'.repeat(8)}).` } });
      if (i === 2) emit({ type: 'service_event', event: { id: `ev-${i}`, createdAt: new Date(), message: '(service backend) registered 2 targets in (target-group backend-tg)' } });
      await this.step();
      if (i === 1 && this.gate) await Promise.race([this.gate, new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
    }
    const cancelled = signal.aborted;
    const r: PhaseResult = { name: 'rollout', status: cancelled ? 'failed' : 'ok', startedAt, finishedAt: new Date().toISOString(), detail: cancelled ? 'cancelled' : 'COMPLETED, 2/2 running' };
    phases.push(r);
    emit({ type: 'phase_finished', phase: 'rollout', result: r, ms: 1 });
    return cancelled;
  }

  private end(
    id: string, kind: ChangeKind, svc: NamedService, sha: string | null, phases: PhaseResult[], outcome: Outcome, summary: string,
    emit: ReturnType<FakeEngine['emitter']>, error: ChangeResult['error'], finalTd: string | null = null, failure: ChangeResult['failure'] = null,
  ): ChangeResult {
    const rec = this.changes.get(id)!;
    const r = result(kind, svc.name, sha, rec.actor, rec.startedAt, outcome, phases, summary, id, error);
    Object.assign(r, { digest: rec.digest, fromTaskDefinition: rec.fromTaskDefinition, toTaskDefinition: rec.toTaskDefinition, finalTaskDefinition: finalTd, failure });
    Object.assign(rec, { outcome, finishedAt: r.finishedAt, phases, result: r, finalTaskDefinition: finalTd });
    emit({ type: 'change_finished', result: r });
    return r;
  }

  private async scale(kind: 'stop' | 'restart', service: string, req: StopRequest | RestartRequest, count: number): Promise<ChangeResult> {
    const svc = this.service(service);
    const startedAt = new Date().toISOString();
    if (this.locks.get(service)) return simple(service, false, 'refused', `${service} is busy`, { code: 'lock_held', message: `${service} is locked` });
    const id = this.begin(kind, svc, req.actor, null, startedAt);
    const emit = this.emitter(id, service, req.onEvent);
    try {
      await req.onStart?.(id);
      emit({ type: 'change_started', kind, actor: req.actor, sha: null, fromTaskDefinition: null });
      const previous = this.desired.get(service) ?? 0;
      await this.phase(emit, [], 'read_service', 'ok', `desired ${previous}, running ${previous}`);
      const approval = req.approvalId ? this.approvals.get(req.approvalId) : undefined;
      if (approval) await this.phase(emit, [], 'approval', 'ok', `approved by ${approval.decidedBy?.name ?? '?'}`);
      emit({ type: 'progress', phase: 'rollout', taskDefinition: td(service, this.revisions.get(service) ?? 1), running: count, desired: count, pending: 0, rolloutState: null });
      await this.phase(emit, [], 'rollout', 'ok', `running ${count}/${count}`);
      if (kind === 'stop') this.kept.set(service, previous);
      else this.kept.delete(service);
      this.desired.set(service, count);
      // The engine's wording.
      const summary = kind === 'stop' ? `${service} stopped: desired ${previous} → 0 (kept ${previous} for restart). Reason: ${(req as StopRequest).reason}` : `${service} restarted: desired ${previous} → ${count}, ${count} running`;
      const rec = this.changes.get(id)!;
      Object.assign(rec, { outcome: 'succeeded', finishedAt: new Date().toISOString() });
      return { ...simple(service, true, 'succeeded', summary, null), deployId: id, kind, previousDesired: previous, desired: count };
    } finally {
      this.locks.delete(service);
    }
  }

  private dryRun(svc: NamedService, req: DeployRequest): ChangeResult {
    const r = result('deploy', svc.name, req.sha, req.actor, new Date().toISOString(), 'succeeded', [], `dry run: ${svc.name} ${req.sha.slice(0, 7)} would go ${svc.name}:41 → ${svc.name}:42`, null, null);
    r.dryRun = { image: `repo@${DIGEST}`, digest: DIGEST, fromTaskDefinition: td(svc.name, 41), toTaskDefinition: `${svc.name}:(next)`, diff: [`containerDefinitions[${svc.container}].image: repo:old → repo@${DIGEST}`] };
    return r;
  }

  private step(): Promise<void> {
    return new Promise((r) => setTimeout(r, this.options.stepMs ?? 5));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const SMOKE_RESULTS: SmokeResult[] = [
  'version', 'liveness', 'readiness', 'https', 'auth', 'cors', 'security_headers', 'response_time', 'error_format', 'root',
].map((name) => ({ name, title: name.replace('_', ' '), severity: 'fail', status: 'pass', ms: 12, reason: 'ok' }));

function result(kind: ChangeKind, service: string, sha: string | null, actor: Actor, startedAt: string, outcome: Outcome, phases: PhaseResult[], summary: string, id: string | null, error: ChangeResult['error']): ChangeResult {
  const exit = { succeeded: 0, rolled_back: 1, invalid: 2, refused: 4 } as Record<string, number>;
  return {
    ok: outcome === 'succeeded', kind, outcome, exitCode: exit[outcome] ?? 3, deployId: id, service, sha, digest: null,
    fromTaskDefinition: null, toTaskDefinition: null, finalTaskDefinition: null, phases, smoke: [], targets: [], logs: null, failure: null,
    summary, actor, startedAt, finishedAt: new Date().toISOString(), error, reportPath: null, dryRun: null,
  };
}

function simple(service: string, ok: boolean, outcome: ChangeResult['outcome'], summary: string, error: ChangeResult['error']): ChangeResult {
  return { ...result('stop', service, null, { id: 'U0', name: 'fake', via: 'slack' }, new Date().toISOString(), outcome, [], summary, null, error), ok, exitCode: ok ? 0 : outcome === 'refused' ? 4 : 2, previousDesired: null, desired: null };
}

/** Request arguments without the callbacks, for assertions. */
function strip<T extends object>(req: T): Omit<T, 'onEvent' | 'onStart'> {
  const { onEvent: _e, onStart: _s, ...rest } = req as T & { onEvent?: unknown; onStart?: unknown };
  return rest as Omit<T, 'onEvent' | 'onStart'>;
}
