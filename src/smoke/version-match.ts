import type { VersionInfo } from '../engine/types';
import { isValidSha, shaMatches } from '../engine/release-ref';
import { getPath } from './check-types';
import { sanitizeText } from './sanitize';

/** True for a git SHA, full or abbreviated (7 to 40 hex characters). */
export function isGitSha(value: unknown): value is string {
  return isValidSha(value);
}
export { shaMatches };

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
