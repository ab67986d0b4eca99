/**
 * Fencing tokens. Each change carries a generation (DeployRecord.fence) raised at every takeover;
 * every write for the change after it starts is conditional on it, and so is every Slack post or
 * update for it. A process whose token is no longer the change's writes and posts nothing more,
 * and says so in one log line.
 */
import type { EngineContext } from '../context';
import { leasedLock, takeoverTime } from './lease';
import type { DeployRecord } from '../model';
import { ErrorCodes, isCodedError, type CodedError } from '../../errors';

/** How many changes' tokens a process remembers after they end (their last Slack messages are checked too). */
const REMEMBERED = 500;

export function isStaleFence(e: unknown): e is CodedError {
  return isCodedError(e) && e.code === ErrorCodes.staleFence;
}

/** The token a record carries (0 for a record written before fencing). */
export function fenceOf(rec: Pick<DeployRecord, 'fence'> | undefined): number {
  return rec?.fence ?? 0;
}

export class Fences {
  /** The token this process holds, by change id. */
  private readonly held = new Map<string, number>();
  private readonly stale = new Set<string>();

  constructor(private readonly ctx: Pick<EngineContext, 'store' | 'logger'>) {}

  hold(changeId: string, fence: number): void {
    this.held.delete(changeId);
    this.held.set(changeId, fence);
    this.stale.delete(changeId);
    for (const old of this.held.keys()) {
      if (this.held.size <= REMEMBERED) break;
      this.held.delete(old);
      this.stale.delete(old);
    }
  }

  tokenOf(changeId: string): number | undefined {
    return this.held.get(changeId);
  }

  isStale(changeId: string): boolean {
    return this.stale.has(changeId);
  }

  /** Marks the change as lost here; logs the one line the first time. */
  markStale(changeId: string, service: string): void {
    if (this.stale.has(changeId)) return;
    this.stale.add(changeId);
    this.ctx.logger.error(
      { changeId, service, fence: this.held.get(changeId) ?? null },
      'another process took this change over (its fencing token moved on); this process stops acting on it and writes and posts nothing more for it',
    );
  }

  /**
   * Whether this process still holds the change's token, read from the store (before a Slack post).
   * A change this process never held is not fenced here; a store that cannot answer does not stop
   * Slack (the writes stay fenced by the store itself).
   */
  async current(changeId: string): Promise<boolean> {
    const token = this.held.get(changeId);
    if (token === undefined) return true;
    if (this.stale.has(changeId)) return false;
    let rec: DeployRecord | undefined;
    try {
      rec = await this.ctx.store.getDeploy(changeId);
    } catch (e) {
      this.ctx.logger.warn({ err: e, changeId }, 'could not read the fencing token; posting anyway');
      return true;
    }
    if (!rec || fenceOf(rec) === token) return true;
    this.markStale(changeId, rec.service);
    return false;
  }
}

/**
 * Writes `patch` onto a running change that another process held (closing it), raising its token
 * so that process's later writes are refused. False, with nothing written, when the change moved
 * on meanwhile (finished, or taken over by someone else).
 */
export async function closeFenced(
  ctx: Pick<EngineContext, 'store'>,
  rec: DeployRecord,
  patch: Partial<Omit<DeployRecord, 'id'>>,
): Promise<boolean> {
  const fence = fenceOf(rec);
  try {
    await ctx.store.updateDeploy(rec.id, { ...patch, fence: fence + 1 }, { fence, running: true });
    return true;
  } catch (e) {
    if (isStaleFence(e)) return false;
    throw e;
  }
}

/**
 * Takes over a running change whose owner's lease ran out (or whose lock is gone), raising its
 * token: the lock and the record carry the new one, and the record's write is conditional on the
 * token read, so of two processes at most one goes on. Null when another process got there first
 * or the change finished meanwhile.
 */
export async function takeOverChange(
  ctx: EngineContext,
  rec: DeployRecord,
): Promise<{ record: DeployRecord; fence: number } | null> {
  const current = await ctx.store.getDeploy(rec.id);
  if (current?.outcome !== 'running') return null;
  const fence = fenceOf(current) + 1;
  const change = { service: rec.service, action: rec.kind, changeId: rec.id, actor: rec.actor, fence };
  const got = await ctx.store.acquireLock(leasedLock(change, ctx, ctx.clock.now()), takeoverTime(ctx));
  if (!got.ok) return null;
  try {
    await ctx.store.updateDeploy(rec.id, { owner: ctx.owner, fence }, { fence: fence - 1, running: true });
  } catch (e) {
    await ctx.store.releaseLock(rec.service, rec.id, fence);
    if (isStaleFence(e)) return null;
    throw e;
  }
  return { record: current, fence };
}

/** `write`, where a refusal for a stale token is no failure to retry: `onStale` is told instead. */
export function ignoreStale(write: () => Promise<unknown>, onStale: () => void): () => Promise<void> {
  return async () => {
    try {
      await write();
    } catch (e) {
      if (!isStaleFence(e)) throw e;
      onStale();
    }
  };
}
