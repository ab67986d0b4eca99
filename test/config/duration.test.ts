import { formatDuration, parseDuration } from '../../src/config/duration';

describe('Durations: the one way they are written for people', () => {
  it('writes milliseconds, seconds, minutes and hours the same way in the terminal, Slack and reports', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(3_300)).toBe('3s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(305_000)).toBe('5m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });

  it('writes a dash for a missing, unreadable or negative duration', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-5)).toBe('–');
  });

  it('reads back what it writes for whole seconds and minutes', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});
