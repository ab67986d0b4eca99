/** A controllable CloudWatch live tail for fake ports: tests push lines, every open tail receives them. */
import type { LiveTailOpening, LiveTailQuery, LogEvent } from '../../src/engine/types';

export class FakeLiveTail {
  /** `live` serves a stream; `denied` answers as a role without logs:StartLiveTail would. */
  mode: 'live' | 'denied' = 'live';
  /** Tails opened so far (including ended ones). */
  readonly opened: LiveTailQuery[] = [];
  private readonly listeners = new Set<(events: LogEvent[] | Error) => void>();

  /** Tails open right now. */
  get open(): number {
    return this.listeners.size;
  }

  /** Delivers `messages` (as lines written now) to every open tail. */
  push(messages: string[], at = new Date()): void {
    const events = messages.map((message) => ({ timestamp: at, message, logStream: 'ecs/backend/1' }));
    for (const listener of this.listeners) listener(events);
  }

  /** Every open tail's stream breaks off with `message` (as a SessionStreamingException would). */
  breakOff(message: string): void {
    for (const listener of this.listeners) listener(new Error(message));
  }

  open_(query: LiveTailQuery, signal: AbortSignal): Promise<LiveTailOpening> {
    this.opened.push(query);
    if (this.mode === 'denied')
      return Promise.resolve({ ok: false, reason: 'User is not authorized to perform: logs:StartLiveTail' });
    return Promise.resolve({ ok: true, batches: this.stream(signal) });
  }

  private async *stream(signal: AbortSignal): AsyncGenerator<LogEvent[]> {
    const queue: (LogEvent[] | Error)[] = [];
    let wake: (() => void) | null = null;
    const listener = (events: LogEvent[] | Error) => {
      queue.push(events);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.listeners.add(listener);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next instanceof Error) throw next;
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      this.listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
