/** Lease timing from the environment: the lease's life and the clock skew replicas allow for. */
import { leaseTiming } from '../../src/compose/lease-env';

describe('leaseTiming', () => {
  it('defaults to a 30 s lease renewed every 10 s, allowing 5 s of clock skew between processes', () => {
    expect(leaseTiming({})).toEqual({ leaseTtlMs: 30_000, leaseRenewMs: 10_000, clockSkewMs: 5_000 });
  });

  it('takes ECS_CHATOPS_CLOCK_SKEW as a duration, 0s included', () => {
    expect(leaseTiming({ ECS_CHATOPS_CLOCK_SKEW: '2s' }).clockSkewMs).toBe(2_000);
    expect(leaseTiming({ ECS_CHATOPS_CLOCK_SKEW: '0s', ECS_CHATOPS_LEASE_TTL: '3s' })).toEqual({
      leaseTtlMs: 3_000,
      leaseRenewMs: 1_000,
      clockSkewMs: 0,
    });
  });

  it.each(['ten', '-1s', '11m'])('refuses ECS_CHATOPS_CLOCK_SKEW=%s with invalid_config naming the setting', (text) => {
    expect(() => leaseTiming({ ECS_CHATOPS_CLOCK_SKEW: text })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('ECS_CHATOPS_CLOCK_SKEW') }),
    );
  });
});
