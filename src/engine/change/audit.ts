/** The append-only audit log, written so that a failing write never stops a change. */
import type { EngineContext } from '../context';
import type { AuditEntry } from '../model';

export async function writeAudit(ctx: EngineContext, entry: Omit<AuditEntry, 'at' | 'id'>): Promise<void> {
  try {
    await ctx.store.appendAudit({ ...entry, at: new Date(ctx.clock.now()).toISOString() });
  } catch (e) {
    ctx.logger.error({ err: e }, 'could not write the audit log');
  }
}
