/**
 * Durations in config are strings with a unit (`500ms`, `90s`, `15m`, `1h`, `2d`) or plain numbers of seconds.
 * Returns milliseconds, or undefined when the input is not a valid duration.
 */
const UNIT_MS: Record<string, number | undefined> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(input);
  if (!m) return undefined;
  const [, amount, unit = 's'] = m;
  return Math.round(Number(amount) * (UNIT_MS[unit] ?? 1000));
}

/**
 * `850ms`, `12s`, `1m30s`, `1h02m`: the one way durations are written for people (terminal,
 * Slack, reports); `–` for a missing, unreadable or negative one.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
