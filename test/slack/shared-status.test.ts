import type { ServiceStatus } from '../../src/engine/api';
import { SharedStatus } from '../../src/slack/shared-status';

/** An engine whose status calls are counted and answered when the test says so. */
function countingEngine() {
  const pending: { service: string; resolve: (s: ServiceStatus) => void; reject: (e: Error) => void }[] = [];
  return {
    calls: () => pending.length,
    answer: (i: number) => pending[i].resolve({ service: { name: pending[i].service } } as unknown as ServiceStatus),
    fail: (i: number) => pending[i].reject(new Error('throttled')),
    engine: {
      status: (service: string) =>
        new Promise<ServiceStatus>((resolve, reject) => pending.push({ service, resolve, reject })),
    },
  };
}

describe('SharedStatus', () => {
  it('answers requests for one service made while a status call runs from that one call', async () => {
    const e = countingEngine();
    const shared = new SharedStatus(e.engine, 1000, () => 0);
    const a = shared.get('backend');
    const b = shared.get('backend');
    expect(e.calls()).toBe(1);
    e.answer(0);
    await expect(b).resolves.toBe(await a);
  });

  it('reuses an answer for a second, then asks again', async () => {
    const e = countingEngine();
    let now = 0;
    const shared = new SharedStatus(e.engine, 1000, () => now);
    const first = shared.get('backend');
    e.answer(0);
    await first;
    now = 999;
    await shared.get('backend');
    expect(e.calls()).toBe(1);
    now = 1000;
    void shared.get('backend');
    expect(e.calls()).toBe(2);
  });

  it('keeps services apart and never reuses a failure', async () => {
    const e = countingEngine();
    const shared = new SharedStatus(e.engine, 1000, () => 0);
    const failing = shared.get('backend');
    void shared.get('web');
    expect(e.calls()).toBe(2);
    e.fail(0);
    await expect(failing).rejects.toThrow('throttled');
    void shared.get('backend');
    expect(e.calls()).toBe(3);
  });
});
