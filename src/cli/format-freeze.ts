/** The freezes a deploy met, as progress lines: why it was refused, or whose approval overrode them. Pure. */
import type { ActiveFreeze } from '../engine/freeze/model';
import { describeFreeze } from '../engine/freeze/guard';
import type { Actor } from '../engine/types';

export function formatFrozen(freezes: readonly ActiveFreeze[], approvedBy: Actor | null): string[] {
  const head = approvedBy ? `frozen, overridden with ${approvedBy.name}'s approval:` : 'frozen:';
  return freezes.map((f) => `  ${head} ${describeFreeze(f)}`);
}
