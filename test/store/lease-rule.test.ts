import { leaseRanOut, sameHolder } from '../../src/store/lease-rule';

describe('Function: leaseRanOut', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');

  it('is true once the lease has ended, at the very millisecond too', () => {
    expect(leaseRanOut({ leaseExpiresAt: '2026-01-01T11:59:59.999Z' }, now)).toBe(true);
    expect(leaseRanOut({ leaseExpiresAt: '2026-01-01T12:00:00.000Z' }, now)).toBe(true);
  });

  it('is false while the lease runs, and for a lock without a lease', () => {
    expect(leaseRanOut({ leaseExpiresAt: '2026-01-01T12:00:00.001Z' }, now)).toBe(false);
    expect(leaseRanOut({}, now)).toBe(false);
  });
});

describe('Function: sameHolder', () => {
  it('needs both the change and the process to match', () => {
    expect(sameHolder({ changeId: 'd-1', owner: 'host-a:1' }, { changeId: 'd-1', owner: 'host-a:1' })).toBe(true);
    expect(sameHolder({ changeId: 'd-1', owner: 'host-a:1' }, { changeId: 'd-1', owner: 'host-b:1' })).toBe(false);
    expect(sameHolder({ changeId: 'd-1', owner: 'host-a:1' }, { changeId: 'd-2', owner: 'host-a:1' })).toBe(false);
  });
});
