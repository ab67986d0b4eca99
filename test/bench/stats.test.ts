import { stratifiedPace } from '../../bench/src/detection';
import { countBy, maxInWindow, median, percentile, spread, spreadByKey } from '../../bench/src/stats';

describe('percentile', () => {
  it('takes the nearest rank, so p99 of 100 values is the 99th smallest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('is the only value for a single sample and NaN for none', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median and spread', () => {
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('summarises runs as median, min and max, leaving out runs that measured nothing', () => {
    const s = spread([120.456, Number.NaN, 80, 100]);
    expect(s).toMatchObject({ median: 100, min: 80, max: 120.46 });
    expect(s.runs).toHaveLength(4);
  });

  it('spreads counts per key, a key missing from a run counting 0 there', () => {
    const s = spreadByKey([{ DescribeServices: 4, UpdateService: 1 }, { DescribeServices: 6 }]);
    expect(s.DescribeServices).toMatchObject({ median: 5, min: 4, max: 6 });
    expect(s.UpdateService).toMatchObject({ median: 0.5, min: 0, max: 1 });
  });
});

describe('maxInWindow', () => {
  it('finds the most events within any one second, not per calendar second', () => {
    // 900, 1100 and 1800 fall within one second of each other; 3000 is alone.
    expect(maxInWindow([1800, 900, 3000, 1100], 1000)).toBe(3);
  });

  it('does not count events exactly one window apart together', () => {
    expect(maxInWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(maxInWindow([], 1000)).toBe(0);
  });
});

describe('countBy', () => {
  it('counts by key with keys sorted', () => {
    expect(Object.entries(countBy(['b', 'a', 'b'], (x) => x))).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('stratifiedPace', () => {
  it('spreads an 8-step rollout over one whole 2 s polling cycle across the runs', () => {
    const paces = [0, 1, 2, 3, 4].map((i) => stratifiedPace(i, 5, 2000));
    const ends = paces.map((p) => (8 * p) % 2000);
    expect(new Set(ends).size).toBe(5);
    expect(Math.max(...ends) - Math.min(...ends)).toBeGreaterThanOrEqual(1500);
    expect(paces.every((p) => p >= 250 && p < 500)).toBe(true);
  });
});
