/** The engine's tail: live lines as they come, and polling (said once) when the live tail is refused or breaks off. */
import type { TailItem } from '../../src/engine/api';
import { createTestEngine, type TestEngine } from '../fakes';

async function collect(items: AsyncIterable<TailItem>, until: (seen: TailItem[]) => boolean, stop: AbortController) {
  const seen: TailItem[] = [];
  for await (const item of items) {
    seen.push(item);
    if (until(seen)) stop.abort();
  }
  return seen;
}

const lines = (items: TailItem[]) => items.flatMap((i) => (i.kind === 'lines' ? i.events.map((e) => e.message) : []));

describe('Engine: tailLogs', () => {
  let t: TestEngine;

  beforeEach(() => {
    t = createTestEngine();
  });

  it("follows the live tail with the service's error pattern, and ends quietly when aborted", async () => {
    const stop = new AbortController();
    const done = collect(
      t.engine.tailLogs({ service: 'backend', signal: stop.signal }),
      (s) => lines(s).length >= 2,
      stop,
    );
    await new Promise((r) => setImmediate(r));
    t.world.liveTail.push(['ERROR one', 'ERROR two']);
    const seen = await done;
    expect(seen[0]).toMatchObject({
      kind: 'started',
      mode: 'live',
      pattern: t.config.services.backend.logs.errorPattern,
    });
    expect(lines(seen)).toEqual(['ERROR one', 'ERROR two']);
    expect(seen.some((i) => i.kind === 'polling')).toBe(false);
    expect(t.world.liveTail.open).toBe(0);
  });

  it('polls FilterLogEvents when the live tail breaks off, says why once, and gives each line once', async () => {
    const stop = new AbortController();
    const since = t.clock.now();
    const done = collect(
      t.engine.tailLogs({ service: 'backend', pattern: 'ERROR', signal: stop.signal }),
      () => false,
      stop,
    );
    await new Promise((r) => setImmediate(r));
    t.world.liveTail.breakOff('session streaming failed');
    t.world.logs.push({ timestamp: new Date(since + 500), message: 'ERROR polled a', eventId: 'a' });
    t.world.logs.push({ timestamp: new Date(since + 600), message: 'ERROR polled b', eventId: 'b' });
    t.world.logs.push({ timestamp: new Date(since - 60_000), message: 'ERROR before the tail', eventId: 'old' });
    // Many polls run meanwhile (each fake sleep is instant): each looks back over the lines, none gives them again.
    setTimeout(() => stop.abort(), 200);
    const seen = await done;
    const notes = seen.filter((i) => i.kind === 'polling');
    expect(notes).toEqual([
      { kind: 'polling', reason: 'the live tail broke off: session streaming failed', everyMs: 2000 },
    ]);
    expect(lines(seen)).toEqual(['ERROR polled a', 'ERROR polled b']);
    const polls = t.world.calls.filter((c) => c.op === 'filterLogEvents');
    expect(polls.length).toBeGreaterThan(2);
  });
});
