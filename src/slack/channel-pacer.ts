/**
 * Slack allows about one `chat.postMessage` per second per channel (short bursts are fine).
 * Every thread posting into a channel shares one token bucket, so twenty deploys finishing
 * together queue their replies instead of drawing 429s; replies waiting here batch up
 * (service events rendered at send time), so fewer messages are sent.
 */
export class ChannelPacer {
  private readonly buckets = new Map<
    string,
    { tokens: number; updatedAt: number; waiters: (() => void)[]; timer: NodeJS.Timeout | null }
  >();

  constructor(
    private readonly perSecond = 1,
    private readonly burst = 4,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when `channel` may take one more message. */
  turn(channel: string): Promise<void> {
    const b = this.bucket(channel);
    this.refill(b);
    if (b.waiters.length === 0 && b.tokens >= 1) {
      b.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      b.waiters.push(resolve);
      this.schedule(channel);
    });
  }

  private bucket(channel: string) {
    let b = this.buckets.get(channel);
    if (!b) {
      b = { tokens: this.burst, updatedAt: this.now(), waiters: [], timer: null };
      this.buckets.set(channel, b);
    }
    return b;
  }

  private refill(b: { tokens: number; updatedAt: number }): void {
    const now = this.now();
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.updatedAt) / 1000) * this.perSecond);
    b.updatedAt = now;
  }

  private schedule(channel: string): void {
    const b = this.bucket(channel);
    if (b.timer) return;
    const wait = Math.max(0, Math.ceil(((1 - b.tokens) / this.perSecond) * 1000));
    b.timer = setTimeout(() => {
      b.timer = null;
      this.refill(b);
      while (b.waiters.length && b.tokens >= 1) {
        b.tokens -= 1;
        b.waiters.shift()?.();
      }
      if (b.waiters.length) this.schedule(channel);
    }, wait);
    b.timer.unref();
  }
}

/** The process-wide pacer for thread replies. */
export const channelPacer = new ChannelPacer();
