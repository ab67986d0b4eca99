/**
 * Recurring freeze windows keep their local hours across daylight-saving changes, wrap midnight
 * and the week, and overlap with each other and with ad-hoc freezes.
 */
import type { FreezeWindowConfig } from '../../src/config/freeze-schema';
import { activeFreezes } from '../../src/engine/freeze/active';
import { windowOccurrence } from '../../src/engine/freeze/windows';

const NY = 'America/New_York';
const weekend: FreezeWindowConfig = {
  name: 'weekend',
  start: 'Fri 16:00',
  end: 'Mon 08:00',
  timeZone: NY,
  reason: 'weekend',
};

const at = (iso: string) => new Date(iso);
const activeAt = (w: FreezeWindowConfig, iso: string) => windowOccurrence(w, at(iso)).active;

describe('Freeze windows: daylight-saving time', () => {
  it('starts at 16:00 EST and ends at 08:00 EDT over the weekend clocks spring forward (March 2026)', () => {
    // Prepare: New York moves from EST (UTC-5) to EDT (UTC-4) on Sunday 8 March 2026.
    // Act
    const inside = windowOccurrence(weekend, at('2026-03-07T12:00:00Z'));

    // Assess
    expect(inside).toEqual({
      start: at('2026-03-06T21:00:00Z'),
      end: at('2026-03-09T12:00:00Z'),
      active: true,
    });
    expect(activeAt(weekend, '2026-03-06T20:59:00Z')).toBe(false);
    expect(activeAt(weekend, '2026-03-06T21:00:00Z')).toBe(true);
    expect(activeAt(weekend, '2026-03-09T11:59:00Z')).toBe(true);
    // 12:00Z is 08:00 EDT: the freeze has lifted, not an hour later as a fixed offset would say.
    expect(activeAt(weekend, '2026-03-09T12:00:00Z')).toBe(false);
  });

  it('starts at 16:00 EDT and ends at 08:00 EST over the weekend clocks fall back (November 2026)', () => {
    // Prepare: New York moves from EDT back to EST on Sunday 1 November 2026.
    // Act
    const inside = windowOccurrence(weekend, at('2026-11-01T06:30:00Z'));

    // Assess
    expect(inside).toEqual({
      start: at('2026-10-30T20:00:00Z'),
      end: at('2026-11-02T13:00:00Z'),
      active: true,
    });
    expect(activeAt(weekend, '2026-10-30T19:59:00Z')).toBe(false);
    expect(activeAt(weekend, '2026-10-30T20:00:00Z')).toBe(true);
    // 12:30Z is 07:30 EST: still frozen, though it would be 08:30 under EDT.
    expect(activeAt(weekend, '2026-11-02T12:30:00Z')).toBe(true);
    expect(activeAt(weekend, '2026-11-02T13:00:00Z')).toBe(false);
  });

  it('names the next occurrence, in local hours, when outside a window', () => {
    // Act: Wednesday before the March change
    const next = windowOccurrence(weekend, at('2026-03-04T15:00:00Z'));

    // Assess
    expect(next).toEqual({ start: at('2026-03-06T21:00:00Z'), end: at('2026-03-09T12:00:00Z'), active: false });
  });

  it('keeps a daily night window at 22:00–06:00 local on the night clocks spring forward', () => {
    // Prepare
    const nights: FreezeWindowConfig = { ...weekend, name: 'nights', start: '22:00', end: '06:00' };

    // Act: Saturday 7 March 23:00 EST, and Sunday 8 March 05:59 EDT
    const late = windowOccurrence(nights, at('2026-03-08T04:00:00Z'));

    // Assess: 22:00 EST is 03:00Z; 06:00 EDT is 10:00Z
    expect(late).toEqual({ start: at('2026-03-08T03:00:00Z'), end: at('2026-03-08T10:00:00Z'), active: true });
    expect(activeAt(nights, '2026-03-08T09:59:00Z')).toBe(true);
    expect(activeAt(nights, '2026-03-08T10:00:00Z')).toBe(false);
  });
});

describe('Freeze windows: wrapping', () => {
  it('wraps midnight: 22:00–06:00 covers both sides of midnight and not the day', () => {
    const nights: FreezeWindowConfig = { ...weekend, name: 'nights', start: '22:00', end: '06:00', timeZone: 'UTC' };
    expect(activeAt(nights, '2026-06-10T21:59:00Z')).toBe(false);
    expect(activeAt(nights, '2026-06-10T23:30:00Z')).toBe(true);
    expect(activeAt(nights, '2026-06-11T05:59:00Z')).toBe(true);
    expect(activeAt(nights, '2026-06-11T06:00:00Z')).toBe(false);
    expect(activeAt(nights, '2026-06-11T12:00:00Z')).toBe(false);
  });

  it('wraps the week: Sat 20:00 to Tue 06:00 covers Saturday night, Sunday and Monday', () => {
    const long: FreezeWindowConfig = {
      ...weekend,
      name: 'long',
      start: 'Sat 20:00',
      end: 'Tue 06:00',
      timeZone: 'UTC',
    };
    // 2026-06-13 is a Saturday
    expect(activeAt(long, '2026-06-13T19:59:00Z')).toBe(false);
    expect(activeAt(long, '2026-06-13T20:00:00Z')).toBe(true);
    expect(activeAt(long, '2026-06-14T12:00:00Z')).toBe(true);
    expect(activeAt(long, '2026-06-15T23:00:00Z')).toBe(true);
    expect(activeAt(long, '2026-06-16T06:00:00Z')).toBe(false);
    expect(activeAt(long, '2026-06-17T12:00:00Z')).toBe(false);
    expect(windowOccurrence(long, at('2026-06-15T01:00:00Z')).end).toEqual(at('2026-06-16T06:00:00Z'));
  });

  it('wraps a whole week round: Mon 10:00 to Mon 09:00 is frozen all week but that hour', () => {
    const most: FreezeWindowConfig = {
      ...weekend,
      name: 'most',
      start: 'Mon 10:00',
      end: 'Mon 09:00',
      timeZone: 'UTC',
    };
    // 2026-06-15 is a Monday
    expect(activeAt(most, '2026-06-15T08:30:00Z')).toBe(true);
    expect(activeAt(most, '2026-06-15T09:30:00Z')).toBe(false);
    expect(activeAt(most, '2026-06-15T10:00:00Z')).toBe(true);
    expect(windowOccurrence(most, at('2026-06-15T08:30:00Z'))).toMatchObject({
      start: at('2026-06-08T10:00:00Z'),
      end: at('2026-06-15T09:00:00Z'),
    });
  });
});

describe('Freeze windows: overlapping freezes', () => {
  const release: FreezeWindowConfig = {
    name: 'release-train',
    services: ['backend'],
    start: 'Fri 12:00',
    end: 'Fri 20:00',
    timeZone: 'UTC',
    reason: 'release train',
  };
  const adHoc = {
    scope: 'all',
    reason: 'incident INC-42',
    setBy: { id: 'U0ONCALL', name: 'olga', via: 'slack' as const },
    setAt: '2026-06-12T15:00:00Z',
    until: '2026-06-13T03:00:00Z',
  };

  it('lists every freeze in force, the one lifting last first, and only those covering the service', () => {
    // Act: Friday 17:00 UTC (13:00 in New York, before the weekend): the train and the ad-hoc freeze hold backend
    const now = at('2026-06-12T17:00:00Z');
    const backend = activeFreezes([weekend, release], [adHoc], 'backend', now);
    const frontend = activeFreezes([weekend, release], [adHoc], 'frontend', now);

    // Assess
    expect(backend.map((f) => [f.name, f.until])).toEqual([
      ['ad-hoc', '2026-06-13T03:00:00Z'],
      ['release-train', '2026-06-12T20:00:00.000Z'],
    ]);
    expect(frontend.map((f) => f.name)).toEqual(['ad-hoc']);
  });

  it('keeps the service frozen while any overlapping freeze holds, and lets lifted ones go', () => {
    // Friday 21:00 UTC = 17:00 New York: the weekend started, the train ended, the ad-hoc freeze holds
    const evening = activeFreezes([weekend, release], [adHoc], 'backend', at('2026-06-12T21:00:00Z'));
    expect(evening.map((f) => f.name)).toEqual(['weekend', 'ad-hoc']);
    // Saturday 04:00 UTC: the ad-hoc freeze lifted by itself, the weekend holds
    const night = activeFreezes([weekend, release], [adHoc], 'backend', at('2026-06-13T04:00:00Z'));
    expect(night.map((f) => f.name)).toEqual(['weekend']);
  });
});
