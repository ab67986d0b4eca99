/** Smoke checks: the ten named HTTP checks, their concurrent runner, and their renderings. */
export { createHttpChecks, fetchVersion, type HttpChecksOptions } from './http-checks';
export { runSmokeChecks, type RunSmokeOptions } from './runner';
export { smokePassed } from './verdict';
export { SMOKE_CHECKS, severityOf } from './check-table';
export type { CheckContext, CheckOutcome, SmokeCheck } from './check-types';
export { shaMatches, isGitSha } from './version-match';
export { DEFAULT_SENSITIVE_PATTERNS, compileSensitivePatterns, findSensitiveKinds } from './sensitive-data';
export { renderSmokeTable, smokeSummary, type SmokeTableOptions } from './render-table';
export { smokeBlocks, type SmokeBlocksOptions } from './render-blocks';
