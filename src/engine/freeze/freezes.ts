/**
 * Change freezes as the engine offers them: which hold a service now (config windows and the
 * store's ad-hoc freezes), a listing of all of them, and setting and lifting ad-hoc ones, audited.
 */
import { getService } from '../../config/load';
import type { Actor } from '../types';
import type { EngineContext } from '../context';
import { writeAudit } from '../change/audit';
import { invalidInput } from '../change/results';
import { activeAdHoc, activeFreezes, windowFreeze } from './active';
import { ALL_SERVICES, type ActiveFreeze, type AdHocFreeze } from './model';
import { windowOccurrence } from './windows';

/** The longest ad-hoc freeze: longer ones belong in the config as windows. */
export const MAX_FREEZE_MS = 30 * 24 * 3_600_000;
const MAX_REASON = 300;

export interface SetFreezeInput {
  /** A service, or `all`. */
  scope: string;
  durationMs: number;
  reason: string;
  actor: Actor;
}

/** Every freeze: the ad-hoc ones in force, and each window's current (active) or next occurrence. */
export interface FreezeListing {
  adHoc: ActiveFreeze[];
  windows: (ActiveFreeze & { active: boolean })[];
}

/** The freezes holding `service` now. @throws CodedError `store_error` when the store cannot be read. */
export async function freezesOf(ctx: EngineContext, service: string): Promise<ActiveFreeze[]> {
  const adHoc = await ctx.store.getFreezes([service, ALL_SERVICES]);
  return activeFreezes(ctx.config.freezes, adHoc, service, new Date(ctx.clock.now()));
}

export class EngineFreezes {
  constructor(private readonly ctx: EngineContext) {}

  /** @throws CodedError `unknown_service`, `store_error`. */
  activeFreezes(service: string): Promise<ActiveFreeze[]> {
    getService(this.ctx.config, service);
    return freezesOf(this.ctx, service);
  }

  async listFreezes(): Promise<FreezeListing> {
    const now = new Date(this.ctx.clock.now());
    const adHoc = (await this.ctx.store.listFreezes())
      .map((f) => activeAdHoc(f, now))
      .filter((f): f is ActiveFreeze => f !== null);
    const windows = this.ctx.config.freezes.map((w) => {
      const occurrence = windowOccurrence(w, now);
      return { ...windowFreeze(w, occurrence), active: occurrence.active };
    });
    return { adHoc, windows };
  }

  /**
   * Sets (or replaces) the ad-hoc freeze of a service or of `all`, audited.
   * @throws CodedError `invalid_input` (scope, duration, reason), `unknown_service`, `store_error`.
   */
  async setFreeze(input: SetFreezeInput): Promise<AdHocFreeze> {
    this.checkScope(input.scope);
    const reason = input.reason.replace(/\s+/g, ' ').trim();
    if (!reason) throw invalidInput('a freeze needs a reason');
    if (!Number.isFinite(input.durationMs) || input.durationMs < 60_000 || input.durationMs > MAX_FREEZE_MS)
      throw invalidInput('a freeze lasts from 1 minute to 30 days (e.g. 2h, 90m); longer ones belong in the config');
    const now = this.ctx.clock.now();
    const freeze: AdHocFreeze = {
      scope: input.scope,
      reason: reason.slice(0, MAX_REASON),
      setBy: input.actor,
      setAt: new Date(now).toISOString(),
      until: new Date(now + input.durationMs).toISOString(),
    };
    await this.ctx.store.putFreeze(freeze);
    await writeAudit(this.ctx, {
      actor: input.actor,
      action: 'freeze.set',
      service: input.scope === ALL_SERVICES ? null : input.scope,
      details: { scope: freeze.scope, reason: freeze.reason, until: freeze.until },
    });
    return freeze;
  }

  /**
   * Lifts the ad-hoc freeze of a service or of `all` (windows from the config stay), audited.
   * @returns the freeze lifted, or undefined when that scope had none in force.
   * @throws CodedError `unknown_service`, `store_error`.
   */
  async clearFreeze(scope: string, actor: Actor): Promise<AdHocFreeze | undefined> {
    this.checkScope(scope);
    const removed = await this.ctx.store.deleteFreeze(scope);
    const inForce = removed && activeAdHoc(removed, new Date(this.ctx.clock.now())) ? removed : undefined;
    if (inForce)
      await writeAudit(this.ctx, {
        actor,
        action: 'freeze.cleared',
        service: scope === ALL_SERVICES ? null : scope,
        details: { scope, reason: inForce.reason, setBy: inForce.setBy, until: inForce.until },
      });
    return inForce;
  }

  private checkScope(scope: string): void {
    if (scope !== ALL_SERVICES) getService(this.ctx.config, scope);
  }
}
