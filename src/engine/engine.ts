/**
 * The engine: flows over ports. It knows no AWS SDK and no Slack; it returns values and emits events.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChangeAction, NamedService } from '../config/schema';
import { getService, listServices } from '../config/load';
import { CodedError, ErrorCodes, isCodedError } from '../errors';
import { silentLogger } from '../logger';
import { renderReport } from '../report';
import type {
  ApprovalRequestInput,
  ChangeResultSimple,
  DeployRequest,
  EngineApi,
  LogsReport,
  LogsRequest,
  RestartRequest,
  RollbackRequest,
  ServiceStatus,
  StopRequest,
  VersionReport,
} from './api';
import { ChangeRun } from './change-run';
import { systemClock } from './clock';
import type { EngineContext, EngineDeps } from './context';
import type {
  ApprovalRequest,
  AuditEntry,
  ChangeKind,
  DeployRecord,
  DeployResult,
  EventListener,
  LockInfo,
  Outcome,
  Release,
} from './model';
import { exitCodeFor } from './model';
import type { ApprovalDecision } from './ports';
import * as queries from './queries';
import { recoverChanges } from './recover';
import { runningTaskDefinition } from './rollout';
import { classifyErrorCode, earlyResult, errorInfo, invalidInput } from './results';
import { ServicePoller } from './service-poller';
import type { Actor, ServiceState, TaskDefinition } from './types';
import { digestOf, isValidSha, pinImage, shortDigest, shortTaskDefinition } from './validate';
import { applyAndVerify, revert, type VerifyOutcome } from './verify';
import { formatDuration } from '../config/duration';
import { runStopOrRestart } from './scale';
import { resolveRollbackTarget } from './rollback-target';
import { alreadyRunsDigest, refuseOverDeploymentInProgress } from './deploy-guards';
import { Promotions } from './blue-green/promotions';
import type { PauseAnswerRequest } from './api';

export type { EngineDeps } from './context';
export { systemClock } from './clock';

interface Running {
  abort: AbortController;
  done: Promise<unknown>;
}

export class Engine implements EngineApi {
  private readonly ctx: EngineContext;
  private readonly running = new Map<string, Running>();
  private draining = false;
  private readonly promotions: Promotions;

  constructor(deps: EngineDeps) {
    const clock = deps.clock ?? systemClock;
    this.ctx = {
      ...deps,
      clock,
      reports: deps.reports ?? null,
      logger: deps.logger ?? silentLogger(),
      owner: deps.owner ?? `${hostname()}:${process.pid}`,
      poller: new ServicePoller(deps.ecs, clock),
      isOwnerAlive: deps.isOwnerAlive ?? defaultIsOwnerAlive,
    };
    this.promotions = new Promotions(this.ctx);
  }

  /** The config never changes while the engine lives: the list is built once. */
  private servicesList: NamedService[] | null = null;

  get services(): NamedService[] {
    this.servicesList ??= listServices(this.ctx.config);
    return this.servicesList;
  }

  // ---------- changes ----------

  async deploy(req: DeployRequest): Promise<DeployResult> {
    const at = this.iso();
    const early = { kind: 'deploy' as const, service: req.service, sha: req.sha ?? null, actor: req.actor, at };
    let svc: NamedService;
    try {
      svc = getService(this.ctx.config, req.service);
      if (typeof req.sha !== 'string' || !isValidSha(req.sha)) throw invalidInput(`git SHA must be 7 to 40 hex characters (got ${JSON.stringify(clipArg(req.sha))})`);
    } catch (e) {
      return earlyResult(early, 'invalid', errorInfo(e));
    }
    const sha = req.sha.toLowerCase();
    if (req.dryRun) return this.dryRun(svc, sha, req.actor, at);
    return this.change('deploy', svc, req, sha, async (run, state, current) => {
      run.start('resolve_image');
      const image = await this.ctx.ecr.resolveImage(svc.region, svc.ecrRepository, sha);
      run.finish('resolve_image', 'ok', `${svc.ecrRepository}:${sha} → ${shortDigest(image.digest)}`);
      run.save({ digest: image.digest, image: image.imageUri });
      const container = containerOf(current, svc);
      if (!req.force && alreadyRunsDigest(current, svc, image.digest)) {
        run.skip('register', `already running ${shortDigest(image.digest)}`);
        return { to: current.arn, expectSha: sha, digest: image.digest, nothingToDo: `already running ${shortDigest(image.digest)} (${shortTaskDefinition(current.arn)}); deploy --force rolls it again` };
      }
      const pinned = pinImage(container.image, svc.ecrRepository, image.digest, image.imageUri);
      run.save({ image: pinned });
      await this.approvalPhase(run, svc, 'deploy', req);
      run.start('register');
      const next = await this.ctx.ecs.registerRevision(svc.region, current, svc.container, pinned);
      this.ctx.store.appendAudit({ at: run.iso(), actor: run.actor, action: 'ecs.register_task_definition', service: svc.name, details: { changeId: run.id, taskDefinition: next.arn, image: pinned } });
      run.finish('register', 'ok', `${shortTaskDefinition(current.arn)} → ${shortTaskDefinition(next.arn)} (${svc.container} @ ${shortDigest(image.digest)})`);
      run.save({ toTaskDefinition: next.arn });
      run.emit({ type: 'plan', digest: image.digest, image: pinned, fromTaskDefinition: current.arn, toTaskDefinition: next.arn });
      return { to: next.arn, expectSha: sha, digest: image.digest, force: Boolean(req.force) };
    });
  }

  async rollback(req: RollbackRequest): Promise<DeployResult> {
    const at = this.iso();
    const targetSha = req.target?.kind === 'sha' ? req.target.sha : null;
    const early = { kind: 'rollback' as const, service: req.service, sha: targetSha, actor: req.actor, at };
    let svc: NamedService;
    try {
      svc = getService(this.ctx.config, req.service);
      if (req.target?.kind === 'sha' && !isValidSha(req.target.sha)) throw invalidInput(`git SHA must be 7 to 40 hex characters (got ${JSON.stringify(clipArg(req.target.sha))})`);
      if (req.target?.kind === 'revision' && !/^([A-Za-z0-9_-]{1,255}:)?\d{1,9}$/.test(req.target.revision)) {
        throw invalidInput(`revision must be family:N or N (got ${JSON.stringify(clipArg(req.target.revision))})`);
      }
    } catch (e) {
      return earlyResult(early, 'invalid', errorInfo(e));
    }
    return this.change('rollback', svc, req, targetSha, async (run, _state, current) => {
      run.start('resolve_image');
      const target = await resolveRollbackTarget(this.ctx, svc, current, req.target ?? { kind: 'previous' });
      run.finish('resolve_image', 'ok', `target ${shortTaskDefinition(target.taskDefinition.arn)}${target.sha ? ` (${target.sha.slice(0, 7)})` : ''}: ${target.how}`);
      const image = target.taskDefinition.containers.find((c) => c.name === svc.container)?.image ?? null;
      run.save({ toTaskDefinition: target.taskDefinition.arn, sha: target.sha, image, digest: image ? digestOf(image) : null });
      if (target.taskDefinition.arn === current.arn) {
        return { to: target.taskDefinition.arn, expectSha: target.sha, digest: image ? digestOf(image) : null, nothingToDo: `already runs ${shortTaskDefinition(current.arn)}` };
      }
      await this.approvalPhase(run, svc, 'rollback', req);
      run.skip('register', 'rollback reuses an existing revision');
      run.emit({ type: 'plan', digest: (image && digestOf(image)) ?? '', image: image ?? '', fromTaskDefinition: current.arn, toTaskDefinition: target.taskDefinition.arn });
      return { to: target.taskDefinition.arn, expectSha: target.sha, digest: image ? digestOf(image) : null };
    });
  }

  async stop(req: StopRequest): Promise<ChangeResultSimple> {
    return runStopOrRestart(this.ctx, this.hooks(), { kind: 'stop', ...req });
  }

  async restart(req: RestartRequest): Promise<ChangeResultSimple> {
    return runStopOrRestart(this.ctx, this.hooks(), { kind: 'restart', ...req });
  }

  cancel(changeId: string, actor: Actor): boolean {
    const r = this.running.get(changeId);
    if (!r || r.abort.signal.aborted) return false;
    this.audit({ actor, action: 'cancel', service: this.ctx.store.getDeploy(changeId)?.service ?? null, details: { changeId } });
    r.abort.abort(new Error(`cancelled by ${actor.name}`));
    return true;
  }

  // ---------- the shared change pipeline ----------

  /**
   * Takes the lock, records the change, reads the service (the rollback point), lets `prepare`
   * decide the target, then applies and verifies it; on failure rolls back and verifies that.
   */
  private async change(
    kind: 'deploy' | 'rollback',
    svc: NamedService,
    req: DeployRequest | RollbackRequest,
    sha: string | null,
    prepare: (run: ChangeRun, state: ServiceState, current: TaskDefinition) => Promise<{ to: string; expectSha: string | null; digest: string | null; nothingToDo?: string; force?: boolean }>,
  ): Promise<DeployResult> {
    const at = this.iso();
    const started = this.ctx.clock.now();
    const begin = this.begin(kind, svc, req.actor, sha, at, req.onEvent);
    if ('refused' in begin) return begin.refused;
    const { run, abort } = begin;
    const untrack = this.track(run.id, abort);
    const fields: Partial<DeployResult> = { sha, digest: null, fromTaskDefinition: null, toTaskDefinition: null };
    let state: ServiceState | null = null;
    try {
      await safely(() => req.onStart?.(run.id), this.ctx);
      run.emit({ type: 'change_started', kind, actor: req.actor, sha, fromTaskDefinition: null });
      run.start('validate');
      run.finish('validate', 'ok', `${kind} of ${svc.name}${sha ? ` ${sha}` : ''} by ${req.actor.name} (${req.actor.via}); lock taken`);

      run.start('read_service');
      state = (await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]))[0];
      const current = await this.ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
      const seenEvents = new Set(state.events.map((e) => e.id));
      fields.fromTaskDefinition = current.arn;
      run.save({ fromTaskDefinition: current.arn });
      if (kind === 'deploy') await refuseOverDeploymentInProgress(this.ctx, svc, state);
      run.finish('read_service', 'ok', `${svc.cluster}/${svc.service} runs ${shortTaskDefinition(current.arn)}, ${state.runningCount}/${state.desiredCount} running`);

      const plan = await prepare(run, state, current);
      Object.assign(fields, { toTaskDefinition: plan.to, digest: plan.digest, sha: plan.expectSha ?? sha });
      if (plan.nothingToDo) {
        for (const phase of ['rollout', 'targets', 'smoke', 'logs'] as const) run.skip(phase, plan.nothingToDo);
        return this.finish(run, svc, { ...fields, outcome: 'succeeded', finalTaskDefinition: current.arn, summary: `${svc.name}: nothing to do, ${plan.nothingToDo}` });
      }
      const verified = await applyAndVerify(this.ctx, {
        run, svc, to: plan.to, expectSha: plan.expectSha, skipSmoke: Boolean(req.skipSmoke), alreadyApplied: false,
        seenEvents, sinceMs: started, signal: abort.signal, rolloutPhase: 'rollout', checkLogs: true, force: plan.force,
      });
      const common = { ...fields, smoke: verified.smoke, targets: verified.targets, logs: verified.logs };
      if (verified.ok) {
        const final = verified.state ? runningTaskDefinition(verified.state) : plan.to;
        return this.finish(run, svc, { ...common, outcome: 'succeeded', finalTaskDefinition: final, summary: successSummary(kind, svc, plan, verified, run.elapsedMs()) });
      }
      return await this.rollBackAfter(run, svc, current.arn, verified, common, seenEvents, started);
    } catch (e) {
      const info = errorInfo(e);
      // Before the rollout starts nothing has changed: bad input or an AWS error is exit 2, a refusal exit 4.
      const outcome: Outcome = classifyErrorCode(info.code) === 'refused' ? 'refused' : 'invalid';
      const failedPhase = openPhase(run);
      if (failedPhase) run.finish(failedPhase, 'failed', info.message);
      // Coded errors are expected answers (missing image, access denied): the result says it all.
      if (isCodedError(e)) this.ctx.logger.info({ code: info.code, changeId: run.id }, `change stopped: ${info.message}`);
      else this.ctx.logger.error({ err: e, changeId: run.id }, 'change stopped unexpectedly');
      const final = await this.readRunning(svc).catch(() => null);
      const touched = run.phases.some((p) => p.name === 'rollout');
      return this.finish(run, svc, {
        ...fields,
        outcome: touched ? 'rollback_failed' : outcome,
        finalTaskDefinition: final,
        error: info,
        failure: failedPhase ? { phase: failedPhase, reason: info.message } : null,
        summary: touched ? `${svc.name}: ${info.message}; the service runs ${shortTaskDefinition(final)}: a person must look` : `${svc.name}: ${kind} not done, nothing was changed: ${info.message}`,
      });
    } finally {
      untrack();
      this.releaseLock(svc.name, run.id);
    }
  }

  private async rollBackAfter(
    run: ChangeRun,
    svc: NamedService,
    from: string,
    verified: VerifyOutcome,
    common: Partial<DeployResult>,
    seenEvents: Set<string>,
    started: number,
  ): Promise<DeployResult> {
    const failure = verified.failure!;
    const cancelled = failure.reason.startsWith('cancelled');
    const what = `${svc.name} ${cancelled ? 'was cancelled' : `failed at ${failure.phase}: ${failure.reason.replace(/\.+$/, '')}`}`;
    const watch = verified.watch;
    if (watch?.status === 'unseen' || watch?.status === 'ecs_rollback_failed') {
      // Never roll back (nor claim a rollback of) a deployment ECS did not show; ECS's own failed rollback needs a person.
      const final = await this.readRunning(svc).catch(() => null);
      const runs = final ? `the service runs ${shortTaskDefinition(final)}` : 'the service could not be read';
      return this.finish(run, svc, { ...common, outcome: watch.status === 'unseen' ? 'failed' : 'rollback_failed', finalTaskDefinition: final, failure, error: { code: watch.status === 'unseen' ? 'deployment_not_seen' : 'rollback_failed', message: failure.reason }, summary: `${what}. Nothing was rolled back; ${runs}: a person must look.` });
    }
    const expectSha = this.shaOf(svc.name, from);
    const back = await revert(this.ctx, { run, svc, to: from, expectSha, skipSmoke: !svc.baseUrl, seenEvents, sinceMs: started, current: verified.state, why: `${failure.phase}: ${failure.reason}`, watch, failedSha: common.sha ?? null });
    const final = back.state ? runningTaskDefinition(back.state) : await this.readRunning(svc).catch(() => null);
    const runs = final ? `the service runs ${shortTaskDefinition(final)}` : 'the service could not be read';
    if (back.ok) {
      return this.finish(run, svc, { ...common, outcome: 'rolled_back', finalTaskDefinition: final, failure, error: { code: cancelled ? ErrorCodes.cancelled : `${failure.phase}_failed`, message: failure.reason }, summary: `${what}. Rolled back to ${shortTaskDefinition(from)} and verified; ${runs}.` });
    }
    return this.finish(run, svc, { ...common, outcome: 'rollback_failed', finalTaskDefinition: final, failure, error: { code: 'rollback_failed', message: back.reason }, summary: `${what}. ROLLBACK FAILED: ${back.reason}. ${runs.charAt(0).toUpperCase()}${runs.slice(1)}: a person must look.` });
  }

  private async dryRun(svc: NamedService, sha: string, actor: Actor, at: string): Promise<DeployResult> {
    const early = { kind: 'deploy' as const, service: svc.name, sha, actor, at };
    try {
      const image = await this.ctx.ecr.resolveImage(svc.region, svc.ecrRepository, sha);
      const [state] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
      const current = await this.ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
      const container = containerOf(current, svc);
      const to = `${current.family}:${current.revision + 1} (to be registered)`;
      const pinned = pinImage(container.image, svc.ecrRepository, image.digest, image.imageUri);
      const diff = [`containerDefinitions[${svc.container}].image: ${container.image} → ${pinned}`];
      const unchanged = current.containers.filter((c) => c.name !== svc.container).map((c) => c.name);
      if (unchanged.length) diff.push(`unchanged containers: ${unchanged.join(', ')}`);
      if (current.tags.length) diff.push(`tags kept: ${current.tags.map((t) => t.key).join(', ')}`);
      return {
        ...earlyResult(early, 'invalid', { code: '', message: '' }),
        ok: true, outcome: 'succeeded', exitCode: 0, error: null,
        digest: image.digest, fromTaskDefinition: current.arn, toTaskDefinition: null, finalTaskDefinition: current.arn,
        summary: `dry run: ${svc.name} ${sha} would deploy ${pinned} as ${to}, replacing ${shortTaskDefinition(current.arn)}; nothing was changed`,
        dryRun: { image: pinned, digest: image.digest, fromTaskDefinition: current.arn, toTaskDefinition: to, diff },
      };
    } catch (e) {
      const info = errorInfo(e);
      return earlyResult(early, classifyErrorCode(info.code) === 'refused' ? 'refused' : 'invalid', info);
    }
  }

  // ---------- helpers shared with stop/restart ----------

  private hooks() {
    return {
      begin: (kind: ChangeKind, svc: NamedService, actor: Actor, onEvent?: EventListener) => this.begin(kind, svc, actor, null, this.iso(), onEvent),
      release: (service: string, id: string) => this.releaseLock(service, id),
      approvalPhase: (run: ChangeRun, svc: NamedService, action: ChangeAction, req: { actor: Actor; approvalId?: string }) => this.approvalPhase(run, svc, action, req),
    };
  }

  /** Refusal, or a running change holding the service's lock. */
  private begin(kind: ChangeKind, svc: NamedService, actor: Actor, sha: string | null, at: string, onEvent?: EventListener): { refused: DeployResult } | { run: ChangeRun; abort: AbortController } {
    const early = { kind, service: svc.name, sha, actor, at };
    if (this.draining) return { refused: earlyResult(early, 'refused', { code: 'shutting_down', message: 'ecs-chatops is shutting down; try again in a minute' }) };
    const id = newChangeId(kind, this.ctx.clock.now());
    const lock: LockInfo = { service: svc.name, action: kind, changeId: id, actor, owner: this.ctx.owner, acquiredAt: at };
    const got = this.ctx.store.acquireLock(lock);
    if (!got.ok) {
      const h = got.holder;
      const stale = !this.ctx.isOwnerAlive(h.owner) ? `; that process is gone: resume its change with \`ecs-chatops recover\` (or, if nothing else is changing ${svc.name}, break the lock with: ecs-chatops locks break ${svc.name})` : '';
      const message = `${svc.name} is locked by ${h.action} ${h.changeId} (${h.actor.name} via ${h.actor.via}, since ${h.acquiredAt}, process ${h.owner})${stale}`;
      this.audit({ actor, action: `${kind}.refused`, service: svc.name, details: { reason: 'lock_held', holder: h.changeId } });
      return { refused: earlyResult(early, 'refused', { code: ErrorCodes.lockHeld, message }) };
    }
    const record: DeployRecord = {
      id, kind, service: svc.name, sha, digest: null, image: null, fromTaskDefinition: null, toTaskDefinition: null, finalTaskDefinition: null,
      outcome: 'running', actor, startedAt: at, finishedAt: null, phases: [], result: null, owner: this.ctx.owner, slack: null, reportPath: null,
    };
    this.ctx.store.insertDeploy(record);
    this.audit({ actor, action: `${kind}.started`, service: svc.name, details: { changeId: id, sha } });
    const listeners = onEvent ? [onEvent] : [];
    return { run: new ChangeRun(id, kind, svc.name, actor, this.ctx.clock, this.ctx.store, listeners, this.ctx.logger), abort: new AbortController() };
  }

  private finish(run: ChangeRun, svc: NamedService, fields: Partial<DeployResult> & { outcome: Outcome; summary: string }): DeployResult {
    const finishedAt = run.iso();
    const result: DeployResult = {
      ok: fields.outcome === 'succeeded',
      kind: run.kind,
      exitCode: exitCodeFor(fields.outcome),
      deployId: run.id,
      service: svc.name,
      sha: fields.sha ?? null,
      digest: fields.digest ?? null,
      fromTaskDefinition: fields.fromTaskDefinition ?? null,
      toTaskDefinition: fields.toTaskDefinition ?? null,
      finalTaskDefinition: fields.finalTaskDefinition ?? null,
      phases: [...run.phases],
      smoke: fields.smoke ?? [],
      targets: fields.targets ?? [],
      logs: fields.logs ?? null,
      failure: fields.failure ?? null,
      actor: run.actor,
      startedAt: run.iso(run.startedAt),
      finishedAt,
      error: fields.error ?? null,
      reportPath: null,
      dryRun: null,
      outcome: fields.outcome,
      summary: `${fields.summary} (${formatDuration(run.elapsedMs())})`,
    };
    run.start('record');
    const record = this.ctx.store.getDeploy(run.id);
    const markdown = safeRender(result, record, this.ctx);
    if (markdown) {
      try {
        this.ctx.store.saveReport(run.id, markdown);
        result.reportPath = record && this.ctx.reports ? this.ctx.reports.write({ ...record, result }, markdown) : null;
      } catch (e) {
        this.ctx.logger.warn({ err: e, changeId: run.id }, 'could not keep the report');
      }
    }
    run.finish('record', 'ok', result.reportPath ? `report: ${result.reportPath}` : 'recorded');
    result.phases = [...run.phases];
    run.save({ outcome: result.outcome, finishedAt, finalTaskDefinition: result.finalTaskDefinition, result, reportPath: result.reportPath, sha: result.sha, digest: result.digest, toTaskDefinition: result.toTaskDefinition, fromTaskDefinition: result.fromTaskDefinition });
    this.audit({ actor: run.actor, action: `${run.kind}.${result.outcome}`, service: svc.name, details: { changeId: run.id, final: result.finalTaskDefinition, failure: result.failure } });
    run.emit({ type: 'change_finished', result });
    return result;
  }

  private async approvalPhase(run: ChangeRun, svc: NamedService, action: ChangeAction, req: { actor: Actor; approvalId?: string }): Promise<void> {
    const needed = this.requiresApproval(svc.name, action) && req.actor.via === 'slack';
    if (!needed) {
      run.skip('approval', req.actor.via === 'slack' ? 'not required for this service' : `${req.actor.via} user; recorded in the audit log`);
      return;
    }
    run.start('approval');
    if (!req.approvalId) throw new CodedError(ErrorCodes.approvalRequired, `${action} of ${svc.name} needs a second person's approval`);
    const a = this.ctx.store.getApproval(req.approvalId);
    if (!a || a.service !== svc.name || a.action !== action || a.status !== 'approved') {
      throw new CodedError(ErrorCodes.approvalInvalid, `approval ${req.approvalId} is not an approved ${action} of ${svc.name}`);
    }
    const used = this.ctx.store.decideApproval(a.id, 'used', req.actor, new Date(this.ctx.clock.now()));
    if (!used.ok) throw new CodedError(ErrorCodes.approvalInvalid, `approval ${a.id} cannot be used: ${used.reason}`);
    run.finish('approval', 'ok', `approved by ${a.decidedBy?.name ?? '?'}`);
  }

  /** Registers a change running in this process (for cancel and drain); call the result when it ends. */
  private track(changeId: string, abort: AbortController): () => void {
    let resolveDone!: () => void;
    this.running.set(changeId, { abort, done: new Promise<void>((r) => (resolveDone = r)) });
    return () => {
      this.running.delete(changeId);
      resolveDone();
    };
  }

  private releaseLock(service: string, changeId: string): void {
    try {
      this.ctx.store.releaseLock(service, changeId);
    } catch (e) {
      this.ctx.logger.error({ err: e, service, changeId }, 'could not release the lock');
    }
  }

  private async readRunning(svc: NamedService): Promise<string> {
    const [s] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
    return runningTaskDefinition(s);
  }

  /** The SHA of the release that put `taskDefinition` in place, from history. */
  private shaOf(service: string, taskDefinition: string): string | null {
    return queries.shaForTaskDefinition(this.ctx, service, taskDefinition);
  }

  private iso(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }

  // ---------- queries ----------

  status(service: string): Promise<ServiceStatus> {
    return queries.status(this.ctx, getService(this.ctx.config, service));
  }

  version(service: string): Promise<VersionReport> {
    return queries.version(this.ctx, getService(this.ctx.config, service));
  }

  smoke(service: string, expectSha?: string) {
    if (expectSha !== undefined && !isValidSha(expectSha)) throw invalidInput('git SHA must be 7 to 40 hex characters');
    return this.ctx.http.runSmoke(getService(this.ctx.config, service), { expectSha });
  }

  logs(request: LogsRequest): Promise<LogsReport> {
    return queries.logs(this.ctx, getService(this.ctx.config, request.service), request);
  }

  history(filter: { service?: string; limit?: number }): DeployRecord[] {
    if (filter.service) getService(this.ctx.config, filter.service);
    return this.ctx.store.listDeploys({ service: filter.service, limit: filter.limit ?? 20 });
  }

  releases(service: string, limit = 10): Release[] {
    getService(this.ctx.config, service);
    return queries.releases(this.ctx, service, limit);
  }

  getChange(changeId: string): DeployRecord | undefined {
    return this.ctx.store.getDeploy(changeId);
  }

  setChangeSlack(changeId: string, slack: { channel: string; ts: string }): void {
    this.ctx.store.updateDeploy(changeId, { slack });
  }

  // ---------- approvals ----------

  requiresApproval(service: string, action: ChangeAction): boolean {
    const svc = getService(this.ctx.config, service);
    return action === 'stop' || (svc.requireApproval as string[]).includes(action);
  }

  async requestApproval(input: ApprovalRequestInput): Promise<ApprovalRequest> {
    const svc = getService(this.ctx.config, input.service);
    const reason = input.reason.trim();
    if (!reason) throw invalidInput('a reason is required');
    let impact = `${input.action} ${svc.name}`;
    if (input.action === 'stop') {
      const [state] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
      impact = `desired ${state.desiredCount} → 0 (${state.runningCount} running tasks stop)`;
    } else if (input.action === 'deploy' && typeof input.params?.sha === 'string') {
      impact = `deploy ${String(input.params.sha).slice(0, 12)} to ${svc.name}`;
    } else if (input.action === 'restart' && typeof input.params?.count === 'number') {
      impact = `desired → ${input.params.count}`;
    }
    const now = this.ctx.clock.now();
    const request: ApprovalRequest = {
      id: `a-${randomBytes(6).toString('hex')}`,
      service: svc.name, action: input.action, params: input.params ?? {}, requester: input.requester, reason: reason.slice(0, 500), impact,
      createdAt: new Date(now).toISOString(), expiresAt: new Date(now + svc.timeouts.approval).toISOString(),
      status: 'pending', decidedBy: null, decidedAt: null, slack: null,
    };
    this.ctx.store.insertApproval(request);
    this.audit({ actor: input.requester, action: 'approval.requested', service: svc.name, details: { approvalId: request.id, action: input.action, reason: request.reason, impact } });
    return request;
  }

  decideApproval(id: string, decision: 'approved' | 'denied', by: Actor): ApprovalDecision {
    const result = this.ctx.store.decideApproval(id, decision, by, new Date(this.ctx.clock.now()));
    this.audit({ actor: by, action: result.ok ? `approval.${decision}` : `approval.${decision}.refused`, service: result.request?.service ?? null, details: { approvalId: id, ...(result.ok ? {} : { reason: result.reason }) } });
    return result;
  }

  getApproval(id: string): ApprovalRequest | undefined {
    return this.ctx.store.getApproval(id);
  }

  setApprovalSlack(id: string, slack: { channel: string; ts: string }): void {
    this.ctx.store.setApprovalSlack(id, slack);
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

  // ---------- locks, audit, lifecycle ----------

  getLock(service: string): LockInfo | undefined {
    return this.ctx.store.getLock(service);
  }

  breakLock(service: string, actor: Actor, options: { force?: boolean } = {}): LockInfo | undefined {
    getService(this.ctx.config, service);
    const held = this.ctx.store.getLock(service);
    if (held && this.running.has(held.changeId)) {
      throw new CodedError(ErrorCodes.lockHeld, `${service} is locked by ${held.changeId}, which is running in this process; cancel it instead`);
    }
    if (held && !options.force && this.ctx.isOwnerAlive(held.owner)) {
      throw new CodedError(ErrorCodes.lockHeld, `${service} is locked by ${held.action} ${held.changeId} (${held.actor.name}, since ${held.acquiredAt}) and its process ${held.owner} may still be running; wait for it, or break the lock with --force if you are sure it is gone`);
    }
    const removed = this.ctx.store.breakLock(service);
    if (removed) {
      this.audit({ actor, action: 'lock.broken', service, details: { changeId: removed.changeId, owner: removed.owner, ownerAlive: this.ctx.isOwnerAlive(removed.owner) } });
      const rec = this.ctx.store.getDeploy(removed.changeId);
      if (rec && rec.outcome === 'running' && !this.ctx.isOwnerAlive(rec.owner)) {
        this.ctx.store.updateDeploy(rec.id, { outcome: 'interrupted', finishedAt: this.iso() });
      }
    }
    return removed;
  }

  audit(entry: Omit<AuditEntry, 'at' | 'id'>): void {
    try {
      this.ctx.store.appendAudit({ ...entry, at: this.iso() });
    } catch (e) {
      this.ctx.logger.error({ err: e }, 'could not write the audit log');
    }
  }

  async recover(onEvent?: EventListener): Promise<DeployResult[]> {
    return recoverChanges(this.ctx, (rec) => this.resume(rec, onEvent));
  }

  /** Resumes watching a change whose process died mid-flight, then verifies or rolls back. */
  private async resume(rec: DeployRecord, onEvent?: EventListener): Promise<DeployResult> {
    const svc = getService(this.ctx.config, rec.service);
    this.ctx.store.breakLock(svc.name);
    this.ctx.store.acquireLock({ service: svc.name, action: rec.kind, changeId: rec.id, actor: rec.actor, owner: this.ctx.owner, acquiredAt: this.iso() });
    this.ctx.store.updateDeploy(rec.id, { owner: this.ctx.owner });
    const run = new ChangeRun(rec.id, rec.kind, svc.name, rec.actor, this.ctx.clock, this.ctx.store, onEvent ? [onEvent] : [], this.ctx.logger);
    run.phases.push(...rec.phases);
    const abort = new AbortController();
    const untrack = this.track(rec.id, abort);
    const fields: Partial<DeployResult> = { sha: rec.sha, digest: rec.digest, fromTaskDefinition: rec.fromTaskDefinition, toTaskDefinition: rec.toTaskDefinition };
    try {
      this.audit({ actor: rec.actor, action: `${rec.kind}.resumed`, service: svc.name, details: { changeId: rec.id, previousOwner: rec.owner } });
      const [state] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
      const to = rec.toTaskDefinition!;
      const from = rec.fromTaskDefinition!;
      const seen = new Set(state.events.map((e) => e.id));
      const started = Date.parse(rec.startedAt);
      const ours = state.deployments.some((d) => d.taskDefinition === to);
      if (ours) {
        const verified = await applyAndVerify(this.ctx, { run, svc, to, expectSha: rec.sha, skipSmoke: false, alreadyApplied: true, seenEvents: seen, sinceMs: started, signal: abort.signal, rolloutPhase: 'rollout', checkLogs: rec.kind === 'deploy' });
        const common = { ...fields, smoke: verified.smoke, targets: verified.targets, logs: verified.logs };
        if (verified.ok) return this.finish(run, svc, { ...common, outcome: 'succeeded', finalTaskDefinition: to, summary: `${svc.name}: resumed after a restart; ${shortTaskDefinition(to)} verified` });
        return await this.rollBackAfter(run, svc, from, verified, common, seen, started);
      }
      const failure = { phase: 'rollout' as const, reason: `the process running this change stopped; on restart the service ran ${shortTaskDefinition(runningTaskDefinition(state))}, not ${shortTaskDefinition(to)}` };
      return await this.rollBackAfter(run, svc, from, { ok: false, failure, state, smoke: [], targets: [], logs: null }, fields, seen, started);
    } catch (e) {
      const info = errorInfo(e);
      return this.finish(run, svc, { ...fields, outcome: 'rollback_failed', error: info, finalTaskDefinition: null, summary: `${svc.name}: could not resume ${rec.id}: ${info.message}; a person must look` });
    } finally {
      untrack();
      this.releaseLock(svc.name, rec.id);
    }
  }

  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const pending = [...this.running.values()].map((r) => r.done);
    if (!pending.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    if (timer) clearTimeout(timer);
  }

  /** Changes running in this process right now. */
  runningChanges(): string[] {
    return [...this.running.keys()];
  }
}

function successSummary(kind: 'deploy' | 'rollback', svc: NamedService, plan: { to: string; expectSha: string | null }, v: VerifyOutcome, _ms: number): string {
  const counts = v.state ? `${v.state.runningCount}/${v.state.desiredCount} running` : '';
  const verb = kind === 'deploy' ? `${plan.expectSha?.slice(0, 7)} deployed` : `rolled back${plan.expectSha ? ` to ${plan.expectSha.slice(0, 7)}` : ''}`;
  return `${svc.name} ${verb}: ${shortTaskDefinition(plan.to)} ${counts}, verified`;
}

/**
 * The configured container of a task definition.
 * @throws CodedError `container_not_found` naming the containers it has.
 */
function containerOf(td: TaskDefinition, svc: NamedService) {
  const container = td.containers.find((c) => c.name === svc.container);
  if (!container) {
    throw new CodedError(ErrorCodes.containerNotFound, `container ${svc.container} is not in ${shortTaskDefinition(td.arn)} (has: ${td.containers.map((c) => c.name).join(', ')})`);
  }
  return container;
}

function openPhase(run: ChangeRun) {
  const order = ['validate', 'read_service', 'resolve_image', 'approval', 'register', 'rollout', 'targets', 'smoke', 'logs'] as const;
  const done = new Set(run.phases.map((p) => p.name));
  return order.find((p) => !done.has(p)) ?? null;
}

async function safely(fn: () => unknown, ctx: EngineContext): Promise<void> {
  try {
    await fn();
  } catch (e) {
    ctx.logger.warn({ err: e }, 'onStart callback failed');
  }
}

function safeRender(result: DeployResult, record: DeployRecord | undefined, ctx: EngineContext): string | null {
  try {
    return renderReport(result, record);
  } catch (e) {
    ctx.logger.warn({ err: e }, 'could not render the report');
    return null;
  }
}

function newChangeId(kind: ChangeKind, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${kind[0]}-${stamp}-${randomBytes(3).toString('hex')}`;
}

function clipArg(value: unknown): string {
  const s = String(value ?? '');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function defaultIsOwnerAlive(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== hostname() || !Number.isInteger(pid)) return true; // cannot tell: assume alive
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

