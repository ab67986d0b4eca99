/** `/freeze` and `/unfreeze`: a service or `all`, a duration and a reason. */
import { parseDuration } from '../config/duration';
import { checkService, MAX_REASON, SHELL_META, tokenize, type Parsed } from './command-tokens';

export interface FreezeArgs {
  /** A service, or `all`. */
  scope: string;
  durationMs: number;
  reason: string;
}

const MIN_FREEZE_MS = 60_000;
const MAX_FREEZE_MS = 30 * 86_400_000;

function checkScope(scope: string | undefined, services: readonly string[]): string | undefined {
  return scope === 'all' ? undefined : checkService(scope, services);
}

/** `/freeze <service|all> <duration> <reason>`: the reason is free text, shown escaped. */
export function parseFreeze(text: string | undefined, services: readonly string[]): Parsed<FreezeArgs> {
  const t = tokenize(text, { allowMeta: true });
  if (t.kind !== 'tokens') return t;
  const [scope = '', duration = ''] = t.tokens;
  if (SHELL_META.test(scope))
    return { kind: 'usage', problem: 'input contains characters that are not allowed in a service name' };
  const problem = checkScope(scope, services);
  if (problem) return { kind: 'usage', problem };
  const durationMs = /^\d+(\.\d+)?[mhd]$/.test(duration) ? parseDuration(duration) : undefined;
  if (durationMs === undefined || durationMs < MIN_FREEZE_MS || durationMs > MAX_FREEZE_MS)
    return { kind: 'usage', problem: 'a duration from 1m to 30d is required after the service (e.g. 2h)' };
  const reason = t.raw.slice(scope.length).trimStart().slice(duration.length).trim();
  if (!reason) return { kind: 'usage', problem: 'a reason is required' };
  if (reason.length > MAX_REASON)
    return { kind: 'usage', problem: `reason too long (at most ${MAX_REASON} characters)` };
  return { kind: 'ok', args: { scope, durationMs, reason } };
}

/** `/unfreeze <service|all>` */
export function parseUnfreeze(text: string | undefined, services: readonly string[]): Parsed<{ scope: string }> {
  const t = tokenize(text);
  if (t.kind !== 'tokens') return t;
  if (t.tokens.length > 1) return { kind: 'usage', problem: 'too many arguments' };
  const problem = checkScope(t.tokens[0], services);
  return problem ? { kind: 'usage', problem } : { kind: 'ok', args: { scope: t.tokens[0] } };
}
