/**
 * One change (deploy, rollback, stop, restart) as it runs: its phases, its events,
 * and its durable record, kept in step.
 */
import type { Logger } from 'pino';
import type {
  ChangeKind,
  DeployRecord,
  EngineEvent,
  EventListener,
  PhaseName,
  PhaseResult,
  PhaseStatus,
} from '../model';
import type { Clock, StorePort } from '../ports';
import type { Actor } from '../types';
import { isStaleFence } from './fence';

type EventBody = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'changeId' | 'service' | 'at'>
    : never
  : never;

export class ChangeRun {
  readonly phases: PhaseResult[] = [];
  readonly startedAt: number;
  private readonly open = new Map<PhaseName, number>();
  private writes: Promise<void> = Promise.resolve();
  /** Told once a write was refused because another process took the change over. */
  onStale: (() => void) | undefined;
  private stale = false;

  constructor(
    readonly id: string,
    readonly kind: ChangeKind,
    readonly service: string,
    readonly actor: Actor,
    private readonly clock: Clock,
    private readonly store: StorePort,
    private readonly listeners: EventListener[],
    private readonly logger: Logger,
    /** The change's fencing token as this process holds it: every write is conditional on it. */
    readonly fence = 0,
  ) {
    this.startedAt = clock.now();
  }

  iso(ms = this.clock.now()): string {
    return new Date(ms).toISOString();
  }

  /** Listener errors are logged and never break the change. */
  emit(body: EventBody): void {
    const event = { ...body, changeId: this.id, service: this.service, at: this.iso() };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn({ err: error, changeId: this.id }, 'event listener failed');
      }
    }
  }

  start(phase: PhaseName): void {
    this.open.set(phase, this.clock.now());
    this.emit({ type: 'phase_started', phase });
  }

  finish(
    phase: PhaseName,
    status: PhaseStatus,
    detail: string,
    extra: Pick<PhaseResult, 'approvedBy'> = {},
  ): PhaseResult {
    const now = this.clock.now();
    const began = this.open.get(phase) ?? now;
    this.open.delete(phase);
    const result: PhaseResult = {
      name: phase,
      status,
      startedAt: this.iso(began),
      finishedAt: this.iso(now),
      detail,
      ...extra,
    };
    this.phases.push(result);
    this.emit({ type: 'phase_finished', phase, result, ms: now - began });
    void this.save({ phases: [...this.phases] });
    return result;
  }

  /** Whether `phase` was started (running now, or finished). */
  hasStarted(phase: PhaseName): boolean {
    return this.open.has(phase) || this.phases.some((p) => p.name === phase);
  }

  /** A phase that did not run, with why. */
  skip(phase: PhaseName, detail: string): PhaseResult {
    this.start(phase);
    return this.finish(phase, 'skipped', detail);
  }

  /**
   * Updates the record, fenced. Writes are queued in order; the promise resolves when this one is done.
   * Never rejects: the change goes on (AWS state is the truth; the record catches up at the end).
   * Once the token moved on, nothing more is written.
   */
  save(patch: Partial<Omit<DeployRecord, 'id'>>): Promise<void> {
    this.writes = this.writes.then(async () => {
      if (this.stale) return;
      try {
        await this.store.updateDeploy(this.id, patch, { fence: this.fence });
      } catch (error) {
        if (isStaleFence(error)) {
          this.stale = true;
          this.onStale?.();
          return;
        }
        this.logger.error({ err: error, changeId: this.id }, 'could not update the change record');
      }
    });
    return this.writes;
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }
}
