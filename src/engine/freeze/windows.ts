/**
 * When a recurring freeze window is in force. All calendar work happens in the window's own time
 * zone through `TZDate` and date-fns (wall-clock days and times), so a window keeps its local
 * hours across daylight-saving changes: "Mon 08:00" is 08:00 in New York in March and November.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, set, startOfDay, subDays } from 'date-fns';
import { parseWindowPoint, type FreezeWindowConfig, type WindowPoint } from '../../config/freeze-schema';

/** One occurrence of a window: from `start` (included) to `end` (excluded). */
export interface WindowOccurrence {
  start: Date;
  end: Date;
  /** True when `now` lies inside it; otherwise it is the next one to come. */
  active: boolean;
}

/** The wall-clock time `p` on the local day `day` (a TZDate at any time of that day). */
function at(day: TZDate, p: WindowPoint): TZDate {
  return set(startOfDay(day), { hours: p.hour, minutes: p.minute, seconds: 0, milliseconds: 0 });
}

/** How many days after `from`'s day the point `to` falls, given it comes after `from` (0–7). */
function daysAfter(from: WindowPoint, to: WindowPoint): number {
  const fromMinute = from.hour * 60 + from.minute;
  const toMinute = to.hour * 60 + to.minute;
  if (from.day === null || to.day === null) return toMinute > fromMinute ? 0 : 1;
  const days = (to.day - from.day + 7) % 7;
  return days === 0 && toMinute <= fromMinute ? 7 : days;
}

/**
 * The occurrence of `window` in force at `now`, or else the next one.
 * @throws Error when the window's times do not parse (the config schema has already refused those).
 */
export function windowOccurrence(window: FreezeWindowConfig, now: Date): WindowOccurrence {
  const start = parseWindowPoint(window.start);
  const end = parseWindowPoint(window.end);
  if (!start || !end) throw new Error(`freeze window ${window.name} has unparsable times`);
  const local = new TZDate(now.getTime(), window.timeZone);
  const period = start.day === null ? 1 : 7;
  // The latest start on or before now: this week's (or today's) start day, else one period earlier.
  const back = start.day === null ? 0 : (local.getDay() - start.day + 7) % 7;
  let startAt = at(subDays(local, back), start);
  if (startAt.getTime() > now.getTime()) startAt = at(subDays(local, back + period), start);
  const endAt = at(addDays(startAt, daysAfter(start, end)), end);
  if (now.getTime() < endAt.getTime()) return { start: new Date(+startAt), end: new Date(+endAt), active: true };
  const nextStart = at(addDays(startAt, period), start);
  const nextEnd = at(addDays(nextStart, daysAfter(start, end)), end);
  return { start: new Date(+nextStart), end: new Date(+nextEnd), active: false };
}

/** True when the window covers `service` (no `services` means every service). */
export function windowCovers(window: FreezeWindowConfig, service: string): boolean {
  return window.services === undefined || window.services.includes(service);
}
