/**
 * Every refusal the bot gives a person is kept: one audit row (who, what, why, where) through the
 * engine's audit log, and one `warn` log line. Nothing secret goes in either: ids, names, reasons.
 */
import type { EngineApi } from '../engine/api';
import type { Actor } from '../engine/types';
import type { Logger } from '../logger';

/** The engine's audit log: where every refusal the bot gives is written. */
export type AuditLog = Pick<EngineApi, 'audit'>;

/** Where the refused request came from. */
export type RefusalSource = 'command' | 'button' | 'approval' | 'home' | 'event';

export interface Refusal {
  actor: Actor;
  /** What was asked: an access action (`deploy`, `read`, …) or a step (`approval.approved`). */
  what: string;
  service: string | null;
  /** Why it was refused, in words a person can act on. */
  why: string;
  where: RefusalSource;
  /** The slash command or the button's action_id, and any id the request carried. */
  details?: Record<string, unknown>;
}

/** Records `refusal` (audit row `<what>.refused` and a warn line). Never throws: a failed audit write is logged. */
export async function recordRefusal(deps: { engine: AuditLog; logger: Logger }, refusal: Refusal): Promise<void> {
  const { actor, what, service, why, where, details = {} } = refusal;
  deps.logger.warn({ user: actor.id, what, service, where, why, ...details }, 'request refused');
  try {
    await deps.engine.audit({ actor, action: `${what}.refused`, service, details: { reason: why, where, ...details } });
  } catch (e) {
    deps.logger.error({ err: e }, 'could not audit a refusal');
  }
}
