import { TerminalReporter } from '../../src/cli/terminal-reporter';
import type { SmokeResult } from '../../src/engine/types';
import { Capture } from './helpers';
import { event, progress, ROLLED_BACK } from './fixtures';

function reporter(tty: boolean) {
  const stream = new Capture(tty);
  const r = new TerminalReporter({ stream, tty, color: false, spinnerMs: 0 });
  return { stream, r };
}

describe('TerminalReporter', () => {
  it('off a TTY prints a progress line only when the counts change, and never a spinner', () => {
    // Prepare
    const { stream, r } = reporter(false);

    // Act
    for (const [running, pending] of [
      [0, 2],
      [0, 2],
      [1, 1],
      [1, 1],
      [2, 0],
    ])
      r.onEvent(progress(running, 2, pending));

    // Assess
    expect(stream.text).toBe(
      '  running 0/2 (pending 2) IN_PROGRESS  backend-prod:2\n' +
        '  running 1/2 (pending 1) IN_PROGRESS  backend-prod:2\n' +
        '  running 2/2 (pending 0) IN_PROGRESS  backend-prod:2\n',
    );
    expect(stream.text).not.toContain('\r');
  });

  it('on a TTY keeps progress on one updating line and clears it before the next phase line', () => {
    const { stream, r } = reporter(true);
    r.onEvent(progress(0, 2, 2));
    r.onEvent(progress(1, 2, 1));
    r.onEvent(event('phase_finished', { phase: 'rollout', ms: 5000, result: ROLLED_BACK.phases[1] }));
    const visibleLines = stream.text.split('\n').filter(Boolean);
    expect(visibleLines).toHaveLength(1); // the spinner never left a line behind
    expect(stream.text).toContain('\r\u001b[2K');
    expect(stream.text.endsWith('✓ rollback  5s  backend-prod:1 COMPLETED, 2/2\n')).toBe(true);
  });

  it('prints each ECS service event once', () => {
    const { stream, r } = reporter(false);
    const e = {
      id: 'ev-1',
      createdAt: new Date('2026-11-25T10:01:02Z'),
      message: '(service backend-svc) has started 1 tasks.',
    };
    r.onEvent(event('service_event', { event: e }));
    r.onEvent(event('service_event', { event: e }));
    expect(stream.text).toBe('  10:01:02  (service backend-svc) has started 1 tasks.\n');
  });

  it('renders the smoke table with the given renderer, without colour off a TTY', () => {
    const stream = new Capture(false);
    const seen: { color: boolean }[] = [];
    const r = new TerminalReporter({
      stream,
      tty: false,
      color: false,
      renderSmoke: (results, options) => {
        seen.push(options);
        return results.map((x) => `${x.name} ${x.status}`).join('\n');
      },
    });
    const results: SmokeResult[] = [
      { name: 'version', title: 'Version', severity: 'fail', status: 'pass', ms: 10, reason: 'ok' },
    ];
    r.onEvent(event('smoke', { results }));
    expect(stream.text).toBe('version pass\n');
    expect(seen).toEqual([{ color: false }]);
  });

  it('prints the final summary once, even when asked again after change_finished', () => {
    const { stream, r } = reporter(false);
    r.onEvent(
      event('rollback_started', { reason: 'rollout failed', toTaskDefinition: ROLLED_BACK.fromTaskDefinition! }),
    );
    r.onEvent(event('change_finished', { result: ROLLED_BACK }));
    r.printSummary(ROLLED_BACK);
    expect(stream.text).toContain('ROLLING BACK to backend-prod:1');
    expect(stream.text.match(/previous release was restored/g)).toHaveLength(1);
  });
});
