/**
 * Recurring freeze windows as written in config: `start: "Fri 16:00"`, `end: "Mon 08:00"` in an IANA
 * time zone, weekly; or `start: "22:00"`, `end: "06:00"`, daily. Both ends name a day, or neither.
 */
import { z } from 'zod';

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** A wall-clock moment of a window: `day` (0 = Sunday, as Date#getDay) or null for every day. */
export interface WindowPoint {
  day: number | null;
  hour: number;
  minute: number;
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const POINT = /^(?:([A-Za-z]+)\s+)?([01]?\d|2[0-3]):([0-5]\d)$/;

/** `Fri` or `friday` (any case) → 5; -1 when it is not a day. */
function dayIndex(text: string): number {
  const lower = text.toLowerCase();
  return DAY_NAMES.findIndex((full) => full === lower || full.slice(0, 3) === lower);
}

/** `Fri 16:00`, `friday 16:00` or `16:00`; undefined when it is none of these. */
export function parseWindowPoint(text: string): WindowPoint | undefined {
  const m = POINT.exec(text.trim());
  if (!m) return undefined;
  const [, dayText, hour, minute] = m as unknown as [string, string | undefined, string, string];
  let day: number | null = null;
  if (dayText !== undefined) {
    const index = dayIndex(dayText);
    if (index < 0) return undefined;
    day = index;
  }
  return { day, hour: Number(hour), minute: Number(minute) };
}

/** True when the runtime knows the IANA zone (`America/New_York`, `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    // RangeError: the zone is unknown; that is the answer, not a fault.
    return false;
  }
}

const point = z.string().superRefine((s, ctx) => {
  if (parseWindowPoint(s) !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    message: `not a day and time: ${JSON.stringify(s.slice(0, 40))} (use e.g. "Fri 16:00" with a day of ${WEEKDAYS.join(', ')}, or "16:00" for every day)`,
  });
});

const timeZone = z.string().superRefine((zone, ctx) => {
  if (isKnownTimeZone(zone)) return;
  ctx.addIssue({
    code: 'custom',
    message: `unknown time zone ${JSON.stringify(zone.slice(0, 60))} (use an IANA name such as America/New_York or UTC)`,
  });
});

export const freezeWindowSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][\w .-]{0,39}$/, 'letters, digits, space, _ . -, at most 40 characters'),
    services: z.array(z.string()).min(1, 'leave services out to freeze every service').optional(),
    start: point,
    end: point,
    timeZone,
    reason: z.string().trim().min(1).max(300),
  })
  .strict()
  .superRefine((w, ctx) => {
    const start = parseWindowPoint(w.start);
    const end = parseWindowPoint(w.end);
    if (!start || !end) return;
    if ((start.day === null) !== (end.day === null))
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'start and end must both name a day, or neither' });
    else if (start.day === end.day && start.hour === end.hour && start.minute === end.minute)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must differ from start' });
  });

export type FreezeWindowConfig = z.output<typeof freezeWindowSchema>;

/** Issues for windows that name services the config does not have, at `freezes.N.services.M`. */
export function unknownFreezeServices(
  freezes: readonly FreezeWindowConfig[],
  services: readonly string[],
): { path: (string | number)[]; message: string }[] {
  return freezes.flatMap((w, i) =>
    (w.services ?? []).flatMap((name, j) =>
      services.includes(name)
        ? []
        : [
            {
              path: ['freezes', i, 'services', j],
              message: `unknown service ${JSON.stringify(name.slice(0, 40))} (configured: ${services.join(', ')})`,
            },
          ],
    ),
  );
}
