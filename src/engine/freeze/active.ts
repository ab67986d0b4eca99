/**
 * Which freezes hold a service at a moment: the config's recurring windows and the store's ad-hoc
 * freezes, together. Pure, so the same answer serves the deploy guard, `status` and the Home tab.
 */
import type { FreezeWindowConfig } from '../../config/freeze-schema';
import { ALL_SERVICES, type ActiveFreeze, type AdHocFreeze } from './model';
import { windowCovers, windowOccurrence } from './windows';

/** A window's occurrence in force at `now`, as an ActiveFreeze; null when it is not in force. */
export function activeWindow(window: FreezeWindowConfig, now: Date): ActiveFreeze | null {
  const occurrence = windowOccurrence(window, now);
  return occurrence.active ? windowFreeze(window, occurrence) : null;
}

/** A window's current or next occurrence, as an ActiveFreeze (for listings). */
export function windowFreeze(window: FreezeWindowConfig, occurrence: { start: Date; end: Date }): ActiveFreeze {
  return {
    kind: 'window',
    name: window.name,
    scope: window.services ?? ALL_SERVICES,
    reason: window.reason,
    setBy: null,
    since: occurrence.start.toISOString(),
    until: occurrence.end.toISOString(),
    timeZone: window.timeZone,
  };
}

/** An ad-hoc freeze as shown; null once it has lifted. */
export function activeAdHoc(freeze: AdHocFreeze, now: Date): ActiveFreeze | null {
  if (Date.parse(freeze.until) <= now.getTime()) return null;
  return {
    kind: 'ad-hoc',
    name: 'ad-hoc',
    scope: freeze.scope === ALL_SERVICES ? ALL_SERVICES : [freeze.scope],
    reason: freeze.reason,
    setBy: freeze.setBy,
    since: freeze.setAt,
    until: freeze.until,
  };
}

/**
 * The freezes holding `service` at `now`, the one lifting last first (it says how long the service stays frozen).
 * `adHoc` may hold any scopes and lifted freezes: only those of `service` or `all` still in force count.
 */
export function activeFreezes(
  windows: readonly FreezeWindowConfig[],
  adHoc: readonly AdHocFreeze[],
  service: string,
  now: Date,
): ActiveFreeze[] {
  const fromWindows = windows.filter((w) => windowCovers(w, service)).map((w) => activeWindow(w, now));
  const fromStore = adHoc
    .filter((f) => f.scope === service || f.scope === ALL_SERVICES)
    .map((f) => activeAdHoc(f, now));
  return [...fromWindows, ...fromStore]
    .filter((f): f is ActiveFreeze => f !== null)
    .sort((a, b) => b.until.localeCompare(a.until));
}
