/**
 * `logs --follow` as a child process against the simulator: the new lines the running tasks write
 * during the tail, through CloudWatch's live tail (an event stream) or, where the endpoint does not
 * offer it, by polling FilterLogEvents, which is said once.
 */
import { answered, callsOf, startE2eWorld, type E2eWorld } from './helpers';

/** The sim's running tasks write these now and then (see task-logs). */
const PATTERN = 'INFO';

describe('logs --follow', () => {
  let e: E2eWorld | undefined;

  afterEach(async () => {
    await e?.close();
    e = undefined;
  });

  it('prints the lines written during the tail, through the live tail, and stops at --for', async () => {
    e = await startE2eWorld();
    const run = await e.cli(['logs', 'backend', '--follow', '--for', '3s', '--pattern', PATTERN]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('INFO');
    expect(run.stderr).not.toContain('polling');
    expect(answered(e.world.calls(), 'StartLiveTail')).toHaveLength(1);
    expect(callsOf(e.world.calls(), 'FilterLogEvents')).toHaveLength(0);
  });

  it.each(['denied', 'missing', 'html-500'] as const)(
    'falls back to polling FilterLogEvents when StartLiveTail is %s, says so once, and prints each new line once',
    async (liveTailApi) => {
      e = await startE2eWorld({ liveTailApi });
      const before = Date.now();
      const run = await e.cli(['logs', 'backend', '--follow', '--for', '5s', '--pattern', PATTERN, '--json']);
      expect(run.code).toBe(0);
      expect(run.stderr.match(/live tail unavailable/g)).toHaveLength(1);
      expect(run.stderr).toMatch(/live tail unavailable \(.+\); polling every 2 s/);
      const events = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { timestamp: string; message: string; logStream: string });
      expect(events.length).toBeGreaterThan(0);
      // Only lines written during the tail, each once, though every poll looks back over the last ones.
      for (const event of events) expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(before - 1000);
      const keys = events.map((ev) => `${ev.timestamp} ${ev.logStream} ${ev.message}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(callsOf(e.world.calls(), 'FilterLogEvents').length).toBeGreaterThan(1);
    },
  );

  it('refuses --for without --follow with exit 2', async () => {
    e = await startE2eWorld();
    const run = await e.cli(['logs', 'backend', '--for', '3s']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--for needs --follow');
  });
});
