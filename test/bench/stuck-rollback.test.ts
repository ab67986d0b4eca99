import { renderStuck, summariseStuck } from '../../bench/src/stuck-rollback';

describe('summariseStuck', () => {
  it('takes medians over the runs that saw each moment, and counts runs stopped before ECS said so', () => {
    // Prepare
    const runs = [
      { outcome: 'rolled_back', eventToStopMs: 1400, taskToStopMs: 1800 },
      { outcome: 'rolled_back', eventToStopMs: -200, taskToStopMs: 1700 },
      { outcome: 'rolled_back', eventToStopMs: Number.NaN, taskToStopMs: 1900 },
    ];

    // Act
    const summary = summariseStuck(runs, 2000);

    // Assess
    expect(summary).toMatchObject({ pollMs: 2000, eventToStopMs: 600, taskToStopMs: 1800, stoppedBeforeEvent: 2 });
    expect(renderStuck(summary)).toContain("| ECS's failure event → StopServiceDeployment | 0.60 s |");
    expect(renderStuck(summary)).toContain("| runs stopped before ECS's failure event | 2/3 |");
  });

  it('says n/a when no run saw the moment', () => {
    const summary = summariseStuck([{ outcome: 'failed', eventToStopMs: Number.NaN, taskToStopMs: Number.NaN }], 2000);
    expect(renderStuck(summary)).toContain('| n/a |');
  });
});
