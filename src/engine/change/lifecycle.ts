/**
 * The life of a change, whatever its kind: taking the service's lock, creating the record, tracking it while it
 * runs (cancel, drain), and finishing it (record, audit, listeners, `change_finished`, the lock released).
 */
import type { NamedService } from '../../config/schema';
import { CodedError, ErrorCodes } from '../../errors';
import { writeAudit } from './audit';
import { ChangeRun } from './change-run';
import type { EngineContext } from '../context';
import { Fences, ignoreStale, takeOverChange } from './fence';
import { leaseEnd, leasedLock, takeoverTime } from './lease';
import type { ChangeKind, ChangeResult, DeployRecord, EventListener } from '../model';
import { abortOnCancelRequest, requestCancel } from './remote-cancel';
import { earlyResult, finishedResult, handedOverResult, markUnrecorded, type FinishFields } from './results';
import { lockHeldResult, newChangeId, newDeployRecord } from './new-change';
import { retryFinalWrite } from './retry-write';
import { closeSuperseded, readRecordQuietly, tellListeners } from './finish-steps';
import type { Actor } from '../types';

interface Running {
  service: string;
  abort: AbortController;
  /** Stops renewing the lease. */
  stopRenewing: () => void;
  done: Promise<void>;
  resolveDone: () => void;
  /** Another process took the lock over (this one stalled past its lease): it must no longer act on the change. */
  lost: boolean;
}

/** A change that holds its service's lock and runs in this process. */
export interface Begun {
  run: ChangeRun;
  signal: AbortSignal;
}

export class ChangeLifecycle {
  private readonly running = new Map<string, Running>();
  private draining = false;
  readonly fences: Fences;

  constructor(private readonly ctx: EngineContext) {
    this.fences = new Fences(ctx);
  }

  /** Takes the lock and records a new change; a refusal (lock held, shutting down) comes back as a result. */
  async begin(
    kind: ChangeKind,
    svc: NamedService,
    actor: Actor,
    sha: string | null,
    onEvent?: EventListener,
  ): Promise<{ refused: ChangeResult } | Begun> {
    const started = this.ctx.clock.now();
    const at = new Date(started).toISOString();
    const early = { kind, service: svc.name, sha, actor, at };
    const shuttingDown = {
      code: ErrorCodes.shuttingDown,
      message: 'ecs-chatops is shutting down; try again in a minute',
    };
    if (this.draining) return { refused: earlyResult(early, 'refused', shuttingDown) };
    const id = newChangeId(kind, this.ctx.clock.now());
    const lock = leasedLock({ service: svc.name, action: kind, changeId: id, actor, fence: 1 }, this.ctx, started);
    const got = await this.ctx.store.acquireLock(lock, takeoverTime(this.ctx));
    if (!got.ok) {
      const details = { reason: 'lock_held', holder: got.holder.changeId };
      await writeAudit(this.ctx, { actor, action: `${kind}.refused`, service: svc.name, details });
      return { refused: lockHeldResult(early, got.holder) };
    }
    if (got.tookOverFrom) await closeSuperseded(this.ctx, got.tookOverFrom, actor);
    try {
      await this.ctx.store.insertDeploy(
        newDeployRecord({ id, kind, service: svc.name, sha, actor, at }, this.ctx.owner),
      );
    } catch (e) {
      // Nothing half-written: without its record the change never ran, so its lock goes too.
      await this.ctx.store.releaseLock(svc.name, id).catch((releaseError: unknown) => {
        this.ctx.logger.warn({ err: releaseError, changeId: id }, 'could not release the lock; its lease runs out');
      });
      throw e;
    }
    await writeAudit(this.ctx, { actor, action: `${kind}.started`, service: svc.name, details: { changeId: id, sha } });
    return this.track(this.newRun({ id, kind, service: svc.name, actor }, 1, onEvent));
  }

  /**
   * Takes over a change whose owner's lease ran out (or whose lock is gone): the lock and the
   * record now name this process. Null when another process got there first, or the change
   * finished meanwhile: exactly one process adopts a change.
   */
  async adopt(rec: DeployRecord, onEvent?: EventListener): Promise<Begun | null> {
    const taken = await takeOverChange(this.ctx, rec);
    if (!taken) return null;
    const run = this.newRun(rec, taken.fence, onEvent);
    run.phases.push(...taken.record.phases);
    await writeAudit(this.ctx, {
      actor: rec.actor,
      action: `${rec.kind}.resumed`,
      service: rec.service,
      details: { changeId: rec.id, previousOwner: rec.owner },
    });
    return this.track(run);
  }

  /**
   * Builds the change's one result, keeps it (record, audit), lets the finish listeners see it
   * (a report path may come back), and emits `change_finished`. Deploys and rollbacks get a
   * `record` phase. Call `end` afterwards, in a `finally`.
   */
  async finish(run: ChangeRun, fields: FinishFields): Promise<ChangeResult> {
    if (!(await this.stillHolds(run))) return this.handedOver(run, fields);
    const result = finishedResult(run, fields);
    const withRecordPhase = run.kind === 'deploy' || run.kind === 'rollback';
    if (withRecordPhase) run.start('record');
    result.reportPath = await tellListeners(this.ctx, { result, record: await readRecordQuietly(this.ctx, run.id) });
    if (withRecordPhase) run.finish('record', 'ok', result.reportPath ? `report: ${result.reportPath}` : 'recorded');
    result.phases = [...run.phases];
    const recorded = await this.recordOutcome(run, {
      outcome: result.outcome,
      finishedAt: result.finishedAt,
      finalTaskDefinition: result.finalTaskDefinition,
      result,
      reportPath: result.reportPath,
      sha: result.sha,
      digest: result.digest,
      toTaskDefinition: result.toTaskDefinition,
      fromTaskDefinition: result.fromTaskDefinition,
      phases: run.phases,
    });
    // Taken over meanwhile: the new owner records the outcome.
    if (this.running.get(run.id)?.lost) return this.handedOver(run, fields);
    if (!recorded) markUnrecorded(result);
    const counts = 'desired' in fields ? { previousDesired: result.previousDesired, desired: result.desired } : {};
    await writeAudit(this.ctx, {
      actor: run.actor,
      action: `${run.kind}.${result.outcome}`,
      service: run.service,
      details: { changeId: run.id, final: result.finalTaskDefinition, failure: result.failure, ...counts },
    });
    run.emit({ type: 'change_finished', result });
    return result;
  }

  /**
   * Renews the lease now. False once another process took the change over (this one stalled
   * past its lease): from then on the new owner rolls out, rolls back and records, and this
   * process must not. A store that cannot answer leaves the decision to the next renewal.
   */
  async stillHolds(run: ChangeRun): Promise<boolean> {
    const r = this.running.get(run.id);
    if (!r) return true;
    if (r.lost) return false;
    try {
      if (
        await this.ctx.store.renewLease(
          run.service,
          run.id,
          this.ctx.owner,
          leaseEnd(this.ctx.clock.now(), this.ctx.leaseTtlMs),
        )
      )
        return true;
    } catch (e) {
      this.ctx.logger.warn({ err: e, changeId: run.id }, 'could not renew the lease; trying again at the next renewal');
      return true;
    }
    this.lose(run.id);
    return false;
  }

  /** What the caller of a change that was taken over learns; nothing is written (the record is the new owner's). */
  handedOver(run: ChangeRun, fields: Partial<ChangeResult>): ChangeResult {
    return handedOverResult(run, fields);
  }

  /**
   * The change no longer runs here: its lease is no longer renewed, its lock released (tried a
   * few times; should that fail, the lease runs out by itself), and it is untracked. A lock taken
   * over by another process under the same change id is that process's: it is left alone.
   */
  async end(run: ChangeRun): Promise<void> {
    const r = this.running.get(run.id);
    r?.stopRenewing();
    await retryFinalWrite(
      this.ctx,
      () => this.ctx.store.releaseLock(run.service, run.id, run.fence),
      {
        fields: { service: run.service, changeId: run.id },
        retrying: 'could not release the lock; trying again',
        gaveUp: 'could not release the lock; its lease runs out by itself',
      },
      () => !r?.lost,
    );
    this.running.delete(run.id);
    r?.resolveDone();
  }

  /**
   * Aborts a change running in this process, or asks the process running it (another replica)
   * through its record; false when it no longer runs or is already being cancelled.
   */
  async cancel(changeId: string, actor: Actor): Promise<boolean> {
    const r = this.running.get(changeId);
    if (!r) return requestCancel(this.ctx, changeId, actor);
    if (r.abort.signal.aborted) return false;
    r.abort.abort(new CodedError(ErrorCodes.cancelled, `cancelled by ${actor.name}`));
    await writeAudit(this.ctx, { actor, action: 'cancel', service: r.service, details: { changeId } });
    return true;
  }

  isRunningHere(changeId: string): boolean {
    return this.running.has(changeId);
  }

  /** Changes running in this process right now. */
  runningChanges(): string[] {
    return [...this.running.keys()];
  }

  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const pending = [...this.running.values()].map((r) => r.done);
    if (!pending.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    if (timer) clearTimeout(timer);
  }

  private track(run: ChangeRun): Begun {
    this.fences.hold(run.id, run.fence);
    run.onStale = () => this.lose(run.id);
    const abort = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const stopRenewing = this.ctx.clock.every(this.ctx.leaseRenewMs, () => void this.renew(run, abort));
    this.running.set(run.id, { service: run.service, abort, stopRenewing, done, resolveDone, lost: false });
    return { run, signal: abort.signal };
  }

  /** Renews the lease, and stops the change when another replica asked for a cancel meanwhile. */
  private async renew(run: ChangeRun, abort: AbortController): Promise<void> {
    try {
      if (!(await this.stillHolds(run))) return;
      await abortOnCancelRequest(this.ctx, run, abort);
    } catch (e) {
      this.ctx.logger.warn(
        { err: e, changeId: run.id },
        'could not read a cancel request; trying again at the next renewal',
      );
    }
  }

  /**
   * A Cancel asked for the change (here, or on another replica since the last lease renewal) that
   * its verification finished before noticing. Read just before the change is called a success, so
   * a person told "it stops and rolls back" is not shown a success instead.
   * @returns the cancel's reason ("cancelled by …"), or null.
   */
  async cancelledBeforeSuccess(run: ChangeRun): Promise<string | null> {
    const r = this.running.get(run.id);
    if (!r) return null;
    try {
      await abortOnCancelRequest(this.ctx, run, r.abort);
    } catch (e) {
      this.ctx.logger.warn({ err: e, changeId: run.id }, 'could not read a cancel request before finishing');
    }
    if (!r.abort.signal.aborted || r.lost) return null;
    const reason: unknown = r.abort.signal.reason;
    return reason instanceof Error ? reason.message : 'cancelled';
  }

  /** Stops the change here without a word to AWS or the store: its watch ends, and `finish` hands it over. */
  private lose(changeId: string): void {
    const r = this.running.get(changeId);
    if (!r || r.lost) return;
    r.lost = true;
    r.stopRenewing();
    this.fences.markStale(changeId, r.service);
    r.abort.abort(new CodedError(ErrorCodes.leaseLost, 'another process took this change over'));
  }

  /** The final write of a change's outcome, tried a few times before the lock is let go; false when it never went through. */
  private async recordOutcome(run: ChangeRun, patch: Partial<Omit<DeployRecord, 'id'>>): Promise<boolean> {
    await run.save({});
    const write = ignoreStale(
      () => this.ctx.store.updateDeploy(run.id, patch, { fence: run.fence }),
      () => this.lose(run.id),
    );
    return await retryFinalWrite(this.ctx, write, {
      fields: { changeId: run.id },
      retrying: 'could not record the outcome; trying again',
      gaveUp: 'could not record the outcome of the change',
    });
  }

  private newRun(c: Pick<ChangeRun, 'id' | 'kind' | 'service' | 'actor'>, fence: number, onEvent?: EventListener) {
    const { clock, store, logger } = this.ctx;
    return new ChangeRun(c.id, c.kind, c.service, c.actor, clock, store, onEvent ? [onEvent] : [], logger, fence);
  }
}
