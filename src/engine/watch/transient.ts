/**
 * Which errors end a watch and which are waited out. Only a definite answer (denied, not found,
 * bad input) counts against a rollout; throttling, 5xx, resets and timeouts are retried.
 */
import { describeError, ErrorCodes, isCodedError } from '../../errors';
import { secs } from '../clock';
import type { Clock } from '../ports';

export function isTransientError(error: unknown): boolean {
  if (!isCodedError(error)) return true; // a reset or timeout below the adapters
  if (error.details?.transient === true) return true;
  return (
    error.code === ErrorCodes.throttled || error.code === ErrorCodes.timeout || error.code === ErrorCodes.httpError
  );
}

/** Definite errors (denied, not found) in a row that end a watch; transient ones never do. */
const MAX_HARD_ERRORS = 3;
const MAX_BACKOFF_MS = 10_000;

/**
 * A watch's failing reads: since when and with what error they fail, how many definite errors
 * came in a row, and the backoff while they last. A read that answers resets all of it.
 */
export class ReadFailures {
  private since: number | null = null;
  private lastError: unknown = null;
  private hard = 0;
  private backoffMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly pollMs: number,
  ) {
    this.backoffMs = pollMs;
  }

  /** A read answered. */
  succeeded(): void {
    this.since = null;
    this.hard = 0;
    this.backoffMs = this.pollMs;
  }

  /** Counts a failed read; true when it ends the watch (a definite error, once too often). */
  failed(error: unknown): boolean {
    this.lastError = error;
    this.since ??= this.clock.now();
    return !isTransientError(error) && ++this.hard > MAX_HARD_ERRORS;
  }

  /** "could not read `what` for 25s: …" while reads fail, else null. */
  describe(what: string, format: (ms: number) => string = secs): string | null {
    return this.since === null
      ? null
      : `could not read ${what} for ${format(this.clock.now() - this.since)}: ${describeError(this.lastError)}`;
  }

  /** Waits out the backoff, never past `deadline`, and doubles it for the next failure (up to 10 s). */
  async backOff(deadline: number, signal?: AbortSignal): Promise<void> {
    await this.clock.sleep(Math.min(this.backoffMs, Math.max(0, deadline - this.clock.now())), signal);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }
}
