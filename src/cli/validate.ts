/**
 * Checks of what a person typed, made before any AWS client exists, so that bad input
 * costs nothing and changes nothing. Every failure is a CodedError `invalid_input`.
 */
import {
  parseRollbackTarget as parseTargetRef,
  ROLLBACK_TARGET_HELP,
  SHA_PATTERN,
  type RollbackTarget,
} from '../engine/release-ref';
import { parseDuration } from '../config/duration';
import { MAX_FREEZE_MS } from '../engine/freeze/freezes';
import { invalidInput } from './errors';
import { hasControlCharacters } from '../text/control';

export const MAX_ARGUMENT_LENGTH = 200;
const SHELL_METACHARACTERS = /[;&|$`<>(){}[\]!*?~'"\\]/;
const WHITESPACE = /\s/;

/** A value cut short and quoted, so a 10 KB argument never floods the terminal. */
export function quoteForMessage(value: string, max = 40): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

/**
 * A token such as a service name, SHA or revision: not empty, not huge, no whitespace,
 * no control characters and no shell metacharacters.
 * @throws CodedError `invalid_input` naming the argument and the problem.
 */
export function checkToken(label: string, value: string, max = MAX_ARGUMENT_LENGTH): string {
  if (value.length === 0) throw invalidInput(`${label} is empty`);
  if (value.length > max) throw invalidInput(`${label} is too long (${value.length} characters; at most ${max})`);
  if (hasControlCharacters(value, { breaks: false })) throw invalidInput(`${label} contains a control character`);
  const meta = SHELL_METACHARACTERS.exec(value);
  if (meta) throw invalidInput(`${label} contains a shell metacharacter (${meta[0]}): ${quoteForMessage(value)}`);
  if (WHITESPACE.test(value)) throw invalidInput(`${label} contains whitespace: ${quoteForMessage(value)}`);
  return value;
}

/**
 * Free text such as a stop reason or a log pattern: spaces allowed, control characters not.
 * @throws CodedError `invalid_input` when empty, too long or containing control characters.
 */
export function checkText(label: string, value: string, max = 500): string {
  const text = value.trim();
  if (text.length === 0) throw invalidInput(`${label} is empty`);
  if (text.length > max) throw invalidInput(`${label} is too long (${text.length} characters; at most ${max})`);
  if (hasControlCharacters(text, { breaks: false })) throw invalidInput(`${label} contains a control character`);
  return text;
}

/**
 * A git SHA of 7 to 40 hex characters, lower-cased.
 * @throws CodedError `invalid_input` otherwise.
 */
export function checkSha(value: string, label = 'sha'): string {
  checkToken(label, value);
  if (!SHA_PATTERN.test(value)) {
    throw invalidInput(`${label} must be 7 to 40 hex characters (got ${quoteForMessage(value)})`);
  }
  return value.toLowerCase();
}

/**
 * `--to` of rollback, as the engine and Slack read it (see release-ref).
 * @throws CodedError `invalid_input` for anything else.
 */
export function parseRollbackTarget(value: string | undefined): RollbackTarget {
  if (value === undefined) return { kind: 'previous' };
  checkToken('--to', value);
  const target = parseTargetRef(value);
  if (!target) throw invalidInput(`--to must be ${ROLLBACK_TARGET_HELP} (got ${quoteForMessage(value)})`);
  return target;
}

/**
 * A whole number within bounds, for `--count` and `--limit`.
 * @throws CodedError `invalid_input` otherwise.
 */
export function parseInteger(label: string, value: string, min: number, max: number): number {
  checkToken(label, value, 12);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalidInput(`${label} must be a whole number from ${min} to ${max} (got ${quoteForMessage(value)})`);
  }
  return n;
}

const MAX_LOG_WINDOW_MS = 14 * 24 * 3_600_000;
const MAX_LOCK_WAIT_MS = 24 * 3_600_000;

/**
 * A duration option (`30m`, `90s`) as milliseconds from `min` to `max`; `must` ends the message.
 * @throws CodedError `invalid_input` when not a token, not a duration or out of range.
 */
export function parseDurationOption(label: string, value: string, min: number, max: number, must: string): number {
  checkToken(label, value, 20);
  const ms = parseDuration(value);
  if (ms === undefined || ms < min || ms > max)
    throw invalidInput(`${label} must be a duration ${must} (got ${quoteForMessage(value)})`);
  return ms;
}

/**
 * `--since 30m` as milliseconds (at most 14 days).
 * @throws CodedError `invalid_input` when not a duration or out of range.
 */
export function parseSince(value: string): number {
  return parseDurationOption('--since', value, 1, MAX_LOG_WINDOW_MS, 'such as 30m, 2h or 90s, at most 14 days');
}

/**
 * `--wait-for-lock`: how long a change waits for another to give the service's lock back.
 * @throws CodedError `invalid_input` for a bound that is not a duration or is over a day.
 */
export function parseWaitForLock(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return parseDurationOption('--wait-for-lock', value, 0, MAX_LOCK_WAIT_MS, 'up to 24h such as 10m or 90s');
}

/**
 * `freeze set --for 2h`: how long an ad-hoc freeze lasts, from a minute to 30 days.
 * @throws CodedError `invalid_input` for anything else.
 */
export function parseFreezeFor(value: string): number {
  return parseDurationOption('--for', value, 60_000, MAX_FREEZE_MS, 'from 1m to 30d such as 2h, 90m or 3d');
}

/**
 * A Slack channel for `--notify-slack`: an ID (`C…`) or a `#name`.
 * @throws CodedError `invalid_input` otherwise.
 */
export function checkSlackChannel(value: string): string {
  if (/^[CGD][A-Z0-9]{2,30}$/.test(value) || /^#[a-z0-9][a-z0-9._-]{0,79}$/.test(value)) return value;
  throw invalidInput(`--notify-slack must be a Slack channel ID (C…) or #name (got ${quoteForMessage(value)})`);
}
