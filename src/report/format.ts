/** Small formatters shared by the report sections. Pure: no clock, no locale. */

/** Milliseconds between two ISO times, or null when either is missing or unreadable. */
export function between(startIso: string | null | undefined, endIso: string | null | undefined): number | null {
  if (!startIso || !endIso) return null;
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  return Number.isNaN(start) || Number.isNaN(end) ? null : end - start;
}

/** `2025-01-21 14:30:22 UTC`; the input as given when it is not a readable time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
