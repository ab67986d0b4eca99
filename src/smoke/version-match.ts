import type { VersionInfo } from '../engine/types';
import { getPath } from './check-types';
import { sanitizeText } from './sanitize';

const SHA = /^[0-9a-f]{7,40}$/i;

/** True for a git SHA, full or abbreviated (7 to 40 hex characters). */
export function isGitSha(value: unknown): value is string {
  return typeof value === 'string' && SHA.test(value);
}

/** A deploy's SHA matches the running one when one is a prefix of the other (case-insensitive). */
export function shaMatches(expected: string, actual: string): boolean {
  if (!isGitSha(expected) || !isGitSha(actual)) return false;
  const a = expected.toLowerCase();
  const b = actual.toLowerCase();
  return a.startsWith(b) || b.startsWith(a);
}

/** The fields people want from a version endpoint's JSON, each a short safe string when present. */
export function readVersionFields(json: unknown, versionField: string): Omit<VersionInfo, 'url' | 'status' | 'error'> {
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' ? sanitizeText(String(v), 80) : undefined;
  return {
    gitSha: text(getPath(json, versionField)),
    buildTime: text(getPath(json, 'buildTime')),
    version: text(getPath(json, 'version')),
    nodeEnv: text(getPath(json, 'nodeEnv')),
    service: text(getPath(json, 'service')),
  };
}
