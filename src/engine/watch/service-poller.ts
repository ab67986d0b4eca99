import type { Clock, EcsPort } from '../ports';
import type { ServiceState } from '../types';

interface Waiter {
  service: string;
  pollMs: number;
  resolve: (state: ServiceState) => void;
  reject: (error: unknown) => void;
}

interface ClusterLoop {
  region: string;
  cluster: string;
  waiters: Waiter[];
  running: boolean;
  /** The earliest time of the next DescribeServices call (epoch ms). */
  nextAt: number;
}

/** ECS DescribeServices takes at most 10 services per call. */
const MAX_PER_CALL = 10;

/**
 * Shares DescribeServices calls between everything watching services of one cluster:
 * each round describes every service someone is waiting on (10 per call), at most once per poll
 * interval. Twenty deploys in one cluster thus cost two calls per interval, not twenty.
 * The interval is waited only while someone waits: nothing of the poller outlives the work.
 */
export class ServicePoller {
  private readonly loops = new Map<string, ClusterLoop>();

  constructor(
    private readonly ecs: EcsPort,
    private readonly clock: Clock,
  ) {}

  /** The service's state from the next polling round of its cluster. Rejects with the describe error. */
  next(region: string, cluster: string, service: string, pollMs: number): Promise<ServiceState> {
    const key = `${region}/${cluster}`;
    let loop = this.loops.get(key);
    if (!loop) {
      loop = { region, cluster, waiters: [], running: false, nextAt: 0 };
      this.loops.set(key, loop);
    }
    const promise = new Promise<ServiceState>((resolve, reject) =>
      loop.waiters.push({ service, pollMs, resolve, reject }),
    );
    if (!loop.running) void this.run(key, loop);
    return promise;
  }

  private async run(key: string, loop: ClusterLoop): Promise<void> {
    loop.running = true;
    try {
      while (loop.waiters.length > 0) {
        const wait = loop.nextAt - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        const batch = loop.waiters.splice(0);
        loop.nextAt = this.clock.now() + Math.min(...batch.map((w) => w.pollMs));
        await this.describeBatch(loop, batch);
      }
    } finally {
      loop.running = false;
      if (loop.waiters.length > 0) void this.run(key, loop);
      else if (loop.nextAt <= this.clock.now()) this.loops.delete(key);
    }
  }

  private async describeBatch(loop: ClusterLoop, batch: Waiter[]): Promise<void> {
    const names = [...new Set(batch.map((w) => w.service))];
    for (let i = 0; i < names.length; i += MAX_PER_CALL) {
      const chunk = names.slice(i, i + MAX_PER_CALL);
      const waiters = batch.filter((w) => chunk.includes(w.service));
      try {
        const states = await this.ecs.describeServices(loop.region, loop.cluster, chunk);
        for (const w of waiters) {
          const state = states.find((s) => s.serviceName === w.service);
          if (state) w.resolve(state);
          else w.reject(new Error(`service ${w.service} missing from DescribeServices answer`));
        }
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
  }
}
