/**
 * Whether an operation answers at this endpoint at all. Emulators, proxies and VPC endpoints that
 * lack a newer operation answer it with an HTML page and HTTP 500, or with "unknown operation": an
 * operation that never answered in this process and keeps failing so is judged absent after a few
 * tries, then probed at most once a minute. One that answered once keeps the SDK's usual retries,
 * so a real transient 5xx is still retried. Judged per region and operation: an endpoint may
 * implement some of an API's operations and not others.
 */
import type { Logger } from '../logger';
import { CodedError } from '../errors';
import { AwsErrorCodes, awsErrorName, isUnknownOperation } from './aws-errors';

/** Tries of an API that never answered before it is judged absent. */
export const ABSENT_AFTER_TRIES = 3;
/** How often an API judged absent is tried again. */
export const PROBE_EVERY_MS = 60_000;
const PAUSE_BETWEEN_TRIES_MS = 200;

/** The name of the SDK middleware that makes a 5xx or non-JSON answer final (one attempt, no SDK retry). */
const ANSWER_ONCE = 'ecsChatopsAnswerOnce';

const UNKNOWN = 'unknown operation';

/** A 5xx or non-JSON answer, wrapped so that the SDK does not retry it: the tracker counts the tries itself. */
export class NoAnswerError extends Error {
  constructor(
    readonly why: string,
    /** What the SDK threw. Not `cause`: the SDK's retry rules would look into it and retry after all. */
    readonly original: unknown,
  ) {
    super(`no usable answer: ${why}`);
    this.name = 'NoAnswerError';
  }
}

/** `HTTP 500, not JSON`, `HTTP 503`, `unknown operation`, or null for an answer that came from the API. */
export function noAnswerReason(err: unknown): string | null {
  if (err instanceof NoAnswerError) return err.why;
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  const notJson =
    awsErrorName(err) === 'SyntaxError' || (err instanceof Error && err.message.includes('Deserialization error'));
  const code = typeof status === 'number' ? `HTTP ${status}` : '';
  if (notJson) return code ? `${code}, not JSON` : 'an answer that is not JSON';
  if (typeof status === 'number' && status >= 500 && status !== 501) return code;
  if (isUnknownOperation(err)) return UNKNOWN;
  return null;
}

interface Stack {
  add(middleware: unknown, options: { step: 'deserialize'; priority: 'high'; name: string; override: true }): void;
}

/** With `once`, makes the SDK try `command` only once when the answer is a 5xx or not JSON. Idempotent; returns `command`. */
export function answerOnce<C extends { middlewareStack: unknown }>(command: C, once = true): C {
  if (!once) return command;
  const middleware =
    (next: (args: unknown) => Promise<unknown>) =>
    async (args: unknown): Promise<unknown> => {
      try {
        return await next(args);
      } catch (err) {
        const why = noAnswerReason(err);
        throw why ? new NoAnswerError(why, err) : err;
      }
    };
  // Inside the SDK's retry loop and around its deserializer, so the retry rules see our error.
  (command.middlewareStack as Stack).add(middleware, {
    step: 'deserialize',
    priority: 'high',
    name: ANSWER_ONCE,
    override: true,
  });
  return command;
}

interface OperationState {
  answered: boolean;
  absent: { why: string; probedAt: number } | null;
  /** A judgement in progress: other callers wait for it rather than try in parallel. */
  judging: Promise<unknown> | null;
}

export interface ApiAvailabilityOptions {
  /** The API the operations belong to, as log lines and errors name it: `ECS`. */
  api: string;
  logger?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Per region and operation: has it answered, or was it judged absent (and when was it last probed)? */
export class ApiAvailability {
  private readonly operations = new Map<string, OperationState>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApiAvailabilityOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Runs `send` (told whether to try once, see `answerOnce`) unless the API was judged absent and
   * is not due for a probe. Errors that are answers (denied, not found, throttled) pass through.
   * @throws CodedError `api_unavailable` when the API is judged absent, naming `fallback`.
   */
  async run<T>(region: string, operation: string, fallback: string, send: (once: boolean) => Promise<T>): Promise<T> {
    const state = this.stateOf(region, operation);
    while (state.judging) await state.judging.catch(() => undefined); // its outcome is read from `state` below
    if (state.answered) return send(false);
    if (state.absent && this.now() - state.absent.probedAt < PROBE_EVERY_MS)
      throw this.unavailable(operation, fallback, state.absent.why);
    const judging = this.judge(region, state, operation, fallback, send);
    state.judging = judging;
    try {
      return await judging;
    } finally {
      state.judging = null;
    }
  }

  private async judge<T>(
    region: string,
    state: OperationState,
    operation: string,
    fallback: string,
    send: (once: boolean) => Promise<T>,
  ): Promise<T> {
    const most = state.absent ? 1 : ABSENT_AFTER_TRIES;
    for (let tries = 1; ; tries += 1) {
      try {
        const out = await send(true);
        this.markAnswered(region, state, operation);
        return out;
      } catch (err) {
        const why = noAnswerReason(err);
        if (!why) throw err;
        // An endpoint that names the operation unknown has said so: no point asking again now.
        if (why === UNKNOWN || tries >= most) {
          this.markAbsent(region, state, operation, fallback, why, tries);
          throw this.unavailable(operation, fallback, why);
        }
      }
      await this.sleep(PAUSE_BETWEEN_TRIES_MS * tries);
    }
  }

  private markAnswered(region: string, state: OperationState, operation: string): void {
    if (state.absent)
      this.options.logger?.info(
        { api: this.options.api, region, operation },
        `${this.options.api} ${operation} answers again at this endpoint`,
      );
    state.answered = true;
    state.absent = null;
  }

  private markAbsent(
    region: string,
    state: OperationState,
    operation: string,
    fallback: string,
    why: string,
    tries: number,
  ): void {
    const first = !state.absent;
    state.absent = { why, probedAt: this.now() };
    if (!first) return;
    // One line, no stack: this is the expected answer of an endpoint without the API.
    this.options.logger?.warn(
      { api: this.options.api, region, operation, tries, answer: why },
      `${this.options.api} ${operation} does not answer at this endpoint (${why}, ${tries} ${tries === 1 ? 'try' : 'tries'}); the tool ${fallback} instead, and asks again at most once a minute`,
    );
  }

  private unavailable(operation: string, fallback: string, why: string): CodedError {
    return new CodedError(
      AwsErrorCodes.apiUnavailable,
      `${this.options.api} ${operation} is not available at this endpoint: it does not answer (${why}); the tool ${fallback} instead`,
      { details: { api: this.options.api, operation, answer: why } },
    );
  }

  private stateOf(region: string, operation: string): OperationState {
    const key = `${region} ${operation}`;
    let state = this.operations.get(key);
    if (!state) {
      state = { answered: false, absent: null, judging: null };
      this.operations.set(key, state);
    }
    return state;
  }
}
