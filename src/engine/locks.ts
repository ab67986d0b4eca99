/** The service locks as people see them: who holds one, and breaking one whose holder stopped. */
import { getService } from '../config/load';
import { CodedError, ErrorCodes } from '../errors';
import type { Locks } from './api';
import { writeAudit } from './audit';
import type { EngineContext } from './context';
import type { ChangeLifecycle } from './lifecycle';
import type { LockInfo } from './model';
import type { Actor } from './types';

export class EngineLocks implements Locks {
  constructor(
    private readonly ctx: EngineContext,
    private readonly lifecycle: ChangeLifecycle,
  ) {}

  getLock(service: string): Promise<LockInfo | undefined> {
    return Promise.resolve(this.ctx.store.getLock(service));
  }

  async breakLock(service: string, actor: Actor, options: { force?: boolean } = {}): Promise<LockInfo | undefined> {
    getService(this.ctx.config, service);
    const held = await this.ctx.store.getLock(service);
    if (held && this.lifecycle.isRunningHere(held.changeId)) {
      throw new CodedError(ErrorCodes.lockHeld, `${service} is locked by ${held.changeId}, which is running in this process; cancel it instead`);
    }
    if (held && !options.force && this.ctx.isOwnerAlive(held.owner)) {
      throw new CodedError(ErrorCodes.lockHeld, `${service} is locked by ${held.action} ${held.changeId} (${held.actor.name}, since ${held.acquiredAt}) and its process ${held.owner} may still be running; wait for it, or break the lock with --force if you are sure it is gone`);
    }
    const removed = await this.ctx.store.breakLock(service);
    if (removed) {
      await writeAudit(this.ctx, { actor, action: 'lock.broken', service, details: { changeId: removed.changeId, owner: removed.owner, ownerAlive: this.ctx.isOwnerAlive(removed.owner) } });
      const rec = await this.ctx.store.getDeploy(removed.changeId);
      if (rec && rec.outcome === 'running' && !this.ctx.isOwnerAlive(rec.owner)) {
        await this.ctx.store.updateDeploy(rec.id, { outcome: 'interrupted', finishedAt: new Date(this.ctx.clock.now()).toISOString() });
      }
    }
    return removed;
  }
}
