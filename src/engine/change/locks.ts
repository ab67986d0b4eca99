/** The service locks as people see them: who holds one, and breaking one whose holder stopped. */
import { getService } from '../../config/load';
import { CodedError, ErrorCodes } from '../../errors';
import type { Locks } from '../api';
import { writeAudit } from './audit';
import type { EngineContext } from '../context';
import { closeFenced } from './fence';
import { leaseFresh } from './lease';
import type { ChangeLifecycle } from './lifecycle';
import type { LockInfo } from '../model';
import type { Actor } from '../types';

export class EngineLocks implements Locks {
  constructor(
    private readonly ctx: EngineContext,
    private readonly lifecycle: ChangeLifecycle,
  ) {}

  getLock(service: string): Promise<LockInfo | undefined> {
    return this.ctx.store.getLock(service);
  }

  /**
   * Removes the lock when its lease ran out, or with `force` whatever the lease says; a running
   * record of the change that held it is closed as interrupted.
   * @throws CodedError `lock_held` while the lease is fresh (without `force`), or when the change runs in this process.
   */
  async breakLock(service: string, actor: Actor, options: { force?: boolean } = {}): Promise<LockInfo | undefined> {
    getService(this.ctx.config, service);
    const held = await this.ctx.store.getLock(service);
    if (held && this.lifecycle.isRunningHere(held.changeId)) {
      throw new CodedError(
        ErrorCodes.lockHeld,
        `${service} is locked by ${held.changeId}, which is running in this process; cancel it instead`,
      );
    }
    const fresh = Boolean(held && leaseFresh(held, this.ctx.clock.now()));
    if (held && fresh && !options.force) {
      throw new CodedError(
        ErrorCodes.lockHeld,
        `${service} is locked by ${held.action} ${held.changeId} (${held.actor.name}, since ${held.acquiredAt}) and its process ${held.owner} may still be running: its lease runs until ${held.leaseExpiresAt ?? '(no lease)'}; wait for it, or break the lock with --force if you are sure it is gone`,
      );
    }
    const removed = await this.ctx.store.breakLock(service);
    if (!removed) return undefined;
    await writeAudit(this.ctx, {
      actor,
      action: 'lock.broken',
      service,
      details: { changeId: removed.changeId, owner: removed.owner, leaseFresh: fresh, forced: Boolean(options.force) },
    });
    const rec = await this.ctx.store.getDeploy(removed.changeId);
    if (rec?.outcome === 'running')
      await closeFenced(this.ctx, rec, {
        outcome: 'interrupted',
        finishedAt: new Date(this.ctx.clock.now()).toISOString(),
      });
    return removed;
  }
}
