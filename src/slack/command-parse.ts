/**
 * Argument parsing of the slash commands: every command validates its input before anything runs.
 * Results are values; usage problems come back as `{ kind: 'usage', problem }`.
 */
import { parseDuration } from '../config/duration';
import { parseRollbackTarget } from '../engine/release-ref';
import { checkService, checkSha, MAX_REASON, SHELL_META, tokenize, type Parsed } from './command-tokens';

export { MAX_TEXT, unescapeSlack, type Parsed } from './command-tokens';
export { parseFreeze, parseUnfreeze, type FreezeArgs } from './command-parse-freeze';

const MAX_PATTERN = 200;
const MAX_LOG_WINDOW_MS = 24 * 3_600_000;
const MAX_COUNT = 500;

export interface DeployArgs {
  service: string;
  sha: string;
  skipSmoke: boolean;
  dryRun: boolean;
  /** `force`: override a freeze (with a second person's approval). */
  force: boolean;
}
/** `/deploy <service> from <source> [force] [--skip-smoke]`: a promotion. */
export interface PromoteArgs {
  service: string;
  from: string;
  force: boolean;
  skipSmoke: boolean;
}
export type RollbackArgs =
  | { service: string; target: null }
  | { service: string; target: { kind: 'revision'; revision: string } | { kind: 'sha'; sha: string } };
export interface ServiceArgs {
  service: string;
}
export interface SmokeArgs {
  service: string;
  sha?: string;
}
export interface LogsArgs {
  service: string;
  sinceMs?: number;
  pattern?: string;
  /** `follow [5m]`: tail new lines for this long (default 5m, at most 15m). */
  followMs?: number;
}

/** `/logs <service> follow` tails this long unless told. */
export const DEFAULT_FOLLOW_MS = 5 * 60_000;
/** The longest `/logs … follow`. */
export const MAX_FOLLOW_MS = 15 * 60_000;
export interface StopArgs {
  service: string;
  reason: string;
}
export interface RestartArgs {
  service: string;
  count?: number;
}
export interface HistoryArgs {
  service?: string;
  /** `/deploys stats [service] [weeks]`: delivery metrics instead of the list. */
  stats?: { weeks: number };
}

/** Weeks of delivery metrics when none are asked for, and the most that may be. */
export const STATS_WEEKS = { default: 8, max: 52 };

export function parseDeploy(text: string | undefined, services: readonly string[]): Parsed<DeployArgs | PromoteArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  // `force` reads as a word in Slack; `--force` as in the terminal.
  const tokens = t.tokens.map((w) => (w.toLowerCase() === 'force' ? '--force' : w));
  const flags = tokens.filter((w) => w.startsWith('--'));
  const words = tokens.filter((w) => !w.startsWith('--'));
  if (words[1]?.toLowerCase() === 'from') return parsePromote(words, flags, services);
  const unknown = flags.find((f) => f !== '--skip-smoke' && f !== '--dry-run' && f !== '--force');
  if (unknown) return { kind: 'usage', problem: `unknown option ${unknown.slice(0, 30)}` };
  if (words.length !== 2)
    return { kind: 'usage', problem: words.length < 2 ? 'a service and a git SHA are required' : 'too many arguments' };
  const problem = checkService(words[0], services) ?? checkSha(words[1]);
  if (problem) return { kind: 'usage', problem };
  return {
    kind: 'ok',
    args: {
      service: words[0],
      sha: words[1].toLowerCase(),
      skipSmoke: flags.includes('--skip-smoke'),
      dryRun: flags.includes('--dry-run'),
      force: flags.includes('--force'),
    },
  };
}

function parsePromote(words: string[], flags: string[], services: readonly string[]): Parsed<PromoteArgs> {
  const unknown = flags.find((f) => f !== '--skip-smoke' && f !== '--force');
  if (unknown)
    return {
      kind: 'usage',
      problem: `unknown option ${unknown.slice(0, 30)} (a promotion takes force and --skip-smoke)`,
    };
  const [service, , from, ...rest] = words;
  if (rest.length) return { kind: 'usage', problem: 'too many arguments (after the source, only "force")' };
  const problem = checkService(service, services) ?? checkService(from, services);
  if (problem) return { kind: 'usage', problem: from ? problem : 'a source service is required after "from"' };
  if (from === service) return { kind: 'usage', problem: 'a service cannot promote from itself' };
  return {
    kind: 'ok',
    args: { service, from, force: flags.includes('--force'), skipSmoke: flags.includes('--skip-smoke') },
  };
}

export function parseRollback(text: string | undefined, services: readonly string[]): Parsed<RollbackArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  const [service, target, ...rest] = t.tokens;
  const problem = checkService(service, services);
  if (problem) return { kind: 'usage', problem };
  if (rest.length) return { kind: 'usage', problem: 'too many arguments' };
  if (!target) return { kind: 'ok', args: { service, target: null } };
  // Short numbers are revisions (`41`); 7+ hex characters are SHAs; `family:41` or an ARN is a revision.
  const parsed = parseRollbackTarget(target);
  if (parsed) return { kind: 'ok', args: { service, target: parsed } };
  return {
    kind: 'usage',
    problem: `"${target.slice(0, 50)}" is neither a revision (41, family:41 or an ARN) nor a git SHA`,
  };
}

/** `/status`, `/version`: exactly one known service. */
export function parseServiceOnly(text: string | undefined, services: readonly string[]): Parsed<ServiceArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  if (t.tokens.length > 1) return { kind: 'usage', problem: 'too many arguments' };
  const problem = checkService(t.tokens[0], services);
  return problem ? { kind: 'usage', problem } : { kind: 'ok', args: { service: t.tokens[0] } };
}

export function parseSmoke(text: string | undefined, services: readonly string[]): Parsed<SmokeArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  // Words a person may have left out are '' or undefined, never assumed present.
  const [service = '', ...rest] = t.tokens;
  const sha = rest.shift();
  if (rest.length) return { kind: 'usage', problem: 'too many arguments' };
  const problem = checkService(service, services) ?? (sha === undefined ? undefined : checkSha(sha));
  if (problem) return { kind: 'usage', problem };
  return { kind: 'ok', args: { service, sha: sha?.toLowerCase() } };
}

export function parseLogs(text: string | undefined, services: readonly string[]): Parsed<LogsArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  const [service, ...rest] = t.tokens;
  const problem = checkService(service, services);
  if (problem) return { kind: 'usage', problem };
  const follow = rest.at(0)?.toLowerCase() === 'follow';
  if (follow) rest.shift();
  let ms: number | undefined;
  const window = rest.at(0);
  if (window !== undefined && /^\d+(\.\d+)?(ms|s|m|h)$/.test(window)) {
    rest.shift();
    ms = parseDuration(window);
    if (!ms || ms > MAX_LOG_WINDOW_MS)
      return { kind: 'usage', problem: 'the window must be between 1s and 24h (e.g. 30m)' };
  }
  const pattern = rest.join(' ') || undefined;
  if (pattern && pattern.length > MAX_PATTERN)
    return { kind: 'usage', problem: `pattern too long (at most ${MAX_PATTERN} characters)` };
  if (follow)
    return { kind: 'ok', args: { service, pattern, followMs: Math.min(ms ?? DEFAULT_FOLLOW_MS, MAX_FOLLOW_MS) } };
  return { kind: 'ok', args: { service, sinceMs: ms, pattern } };
}

/** The reason is free text: punctuation is fine there (it is only shown and audited, escaped). */
export function parseStop(text: string | undefined, services: readonly string[]): Parsed<StopArgs> {
  const t = tokenize(text, { allowMeta: true });
  if (t.kind !== 'tokens') return t;
  const [service = ''] = t.tokens;
  if (SHELL_META.test(service))
    return { kind: 'usage', problem: 'input contains characters that are not allowed in a service name' };
  const problem = checkService(service, services);
  if (problem) return { kind: 'usage', problem };
  const reason = t.raw.slice(service.length).trim();
  if (!reason) return { kind: 'usage', problem: 'a reason is required' };
  if (reason.length > MAX_REASON)
    return { kind: 'usage', problem: `reason too long (at most ${MAX_REASON} characters)` };
  return { kind: 'ok', args: { service, reason } };
}

export function parseRestart(text: string | undefined, services: readonly string[]): Parsed<RestartArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  const [service = '', ...rest] = t.tokens;
  const count = rest.shift();
  if (rest.length) return { kind: 'usage', problem: 'too many arguments' };
  const problem = checkService(service, services);
  if (problem) return { kind: 'usage', problem };
  if (count === undefined) return { kind: 'ok', args: { service } };
  if (!/^\d{1,4}$/.test(count) || Number(count) < 1 || Number(count) > MAX_COUNT) {
    return { kind: 'usage', problem: `count must be a whole number from 1 to ${MAX_COUNT}` };
  }
  return { kind: 'ok', args: { service, count: Number(count) } };
}

export function parseHistory(text: string | undefined, services: readonly string[]): Parsed<HistoryArgs> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  if (t.tokens[0]?.toLowerCase() === 'stats') return parseStats(t.tokens.slice(1), services);
  if (t.tokens.length > 1) return { kind: 'usage', problem: 'too many arguments' };
  if (!t.tokens.length) return { kind: 'ok', args: {} };
  const problem = checkService(t.tokens[0], services);
  return problem ? { kind: 'usage', problem } : { kind: 'ok', args: { service: t.tokens[0] } };
}

/** `stats [service] [weeks]`, in either order. */
function parseStats(words: string[], services: readonly string[]): Parsed<HistoryArgs> {
  if (words.length > 2) return { kind: 'usage', problem: 'too many arguments' };
  const number = words.filter((w) => /^\d+$/.test(w));
  const names = words.filter((w) => !/^\d+$/.test(w));
  if (number.length > 1 || names.length > 1)
    return { kind: 'usage', problem: 'one service and one number of weeks at most' };
  const weeks = number.length ? Number(number[0]) : STATS_WEEKS.default;
  if (weeks < 1 || weeks > STATS_WEEKS.max)
    return { kind: 'usage', problem: `weeks must be a whole number from 1 to ${STATS_WEEKS.max}` };
  if (!names.length) return { kind: 'ok', args: { stats: { weeks } } };
  const problem = checkService(names[0], services);
  return problem ? { kind: 'usage', problem } : { kind: 'ok', args: { service: names[0], stats: { weeks } } };
}
