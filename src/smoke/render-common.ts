import type { CheckStatus, SmokeResult } from '../engine/types';
import { MAX_REASON, sanitizeText } from './sanitize';
import { smokePassed } from './verdict';

export const STATUS_EMOJI: Record<CheckStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '💥',
  skipped: '⏭️',
};

/** "9 passed, 1 warning, 0 failed — 412 ms"; errors and skips are added only when there are some. */
export function smokeSummary(results: readonly SmokeResult[], ms?: number): string {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const warnings = count('warn');
  const parts = [
    `${count('pass')} passed`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
    `${count('fail')} failed`,
  ];
  const errors = count('error');
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  return `${parts.join(', ')} — ${formatMs(ms ?? Math.max(0, ...results.map((r) => r.ms)))}`;
}

export function formatMs(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}

/**
 * A result's fields made safe to print, whatever was stored: one line, no control characters
 * (no terminal escapes), reason at most MAX_REASON characters.
 */
export function safeRow(r: SmokeResult): {
  name: string;
  severity: string;
  status: CheckStatus;
  time: string;
  reason: string;
} {
  return {
    name: sanitizeText(r.name, 40),
    severity: sanitizeText(r.severity, 8),
    status: r.status in STATUS_EMOJI ? r.status : 'error',
    time: formatMs(r.ms),
    reason: sanitizeText(r.reason, MAX_REASON),
  };
}

/** "✅ passed" or "❌ failed", the verdict a deploy acts on. */
export function smokePassedLabel(results: readonly SmokeResult[]): string {
  return smokePassed(results) ? '✅ passed' : '❌ failed';
}
