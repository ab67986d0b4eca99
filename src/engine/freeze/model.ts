/** Change freezes: the ad-hoc ones the store keeps, and a freeze in force as every front end shows it. */
import type { Actor } from '../types';

/** Where an ad-hoc freeze applies: one service, or every service. */
export const ALL_SERVICES = 'all';

/** An ad-hoc freeze as the store keeps it: at most one per scope; setting it again replaces it. */
export interface AdHocFreeze {
  /** A service name, or `all`. */
  scope: string;
  reason: string;
  setBy: Actor;
  setAt: string;
  /** When it lifts by itself. */
  until: string;
}

/** A freeze in force (or, for a window, coming next), as `status`, the Home tab and refusals show it. */
export interface ActiveFreeze {
  kind: 'window' | 'ad-hoc';
  /** The window's name, or `ad-hoc`. */
  name: string;
  /** `all`, or the services it covers. */
  scope: typeof ALL_SERVICES | string[];
  reason: string;
  /** Who set an ad-hoc freeze; null for a window from the config. */
  setBy: Actor | null;
  since: string;
  until: string;
  /** A window's time zone. */
  timeZone?: string;
}

/** The freezes' names in one line: `weekend, ad-hoc`. */
export function freezeNames(freezes: readonly ActiveFreeze[]): string {
  return freezes.map((f) => f.name).join(', ');
}
