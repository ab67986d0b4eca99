/**
 * Freezes on the simulator, the built CLI run as child processes sharing one store: a deploy in a
 * configured window is refused (exit 4) while a rollback, a stop and a restart in the same window
 * go through; an ad-hoc freeze set by one process refuses the next deploy of another.
 */
import { appendFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { jsonOf, startE2eWorld, WRITE_OPERATIONS, type E2eWorld } from './helpers';

/** A daily UTC window from an hour ago to three hours ahead (it may wrap midnight). */
function windowAroundNow() {
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return {
    name: 'change-board',
    start: hhmm(Date.now() - 3_600_000),
    end: hhmm(Date.now() + 3 * 3_600_000),
    timeZone: 'UTC',
    reason: 'quarterly change board',
  };
}

describe('freezes over the wire', () => {
  let e: E2eWorld;

  afterEach(async () => {
    await e.close();
  });

  it('refuses a deploy in a configured window while a rollback, a stop and a restart go through', async () => {
    // Prepare: one release deployed, then the window written into the config
    e = await startE2eWorld();
    const first = await e.cli(['deploy', 'backend', e.world.images[1].tag]);
    expect(first.code).toBe(0);
    appendFileSync(e.configPath, stringify({ freezes: [windowAroundNow()] }));
    e.world.clearCalls();

    // Act
    const deploy = await e.cli(['deploy', 'backend', e.world.images[0].tag, '--json']);
    const writesAfterDeploy = e.world.calls().filter((c) => WRITE_OPERATIONS.includes(c.operation));
    const rollback = await e.cli(['rollback', 'backend']);
    const stop = await e.cli(['stop', 'backend', '--reason', 'data leak', '--yes']);
    const restart = await e.cli(['restart', 'backend', '--yes']);
    const status = await e.cli(['status', 'backend']);

    // Assess
    expect(deploy.code).toBe(4);
    expect(jsonOf(deploy)).toMatchObject({ outcome: 'refused', error: { code: 'frozen' } });
    expect(deploy.stderr).toContain('change-board ("quarterly change board", window in UTC)');
    expect(writesAfterDeploy).toEqual([]);
    expect([rollback.code, stop.code, restart.code]).toEqual([0, 0, 0]);
    expect(status.stdout).toMatch(/frozen:\s+change-board/);
  }, 90_000);

  it('refuses a deploy from one process right after another set an ad-hoc freeze in the shared store', async () => {
    // Prepare
    e = await startE2eWorld();

    // Act
    const set = await e.cli(['freeze', 'set', 'all', '--for', '2h', '--reason', 'incident INC-42']);
    const deploy = await e.cli(['deploy', 'backend', e.world.images[1].tag]);
    const list = await e.cli(['freeze', 'list', '--json']);
    await e.cli(['freeze', 'clear', 'all']);
    const after = await e.cli(['deploy', 'backend', e.world.images[1].tag]);

    // Assess
    expect(set.code).toBe(0);
    expect(deploy.code).toBe(4);
    expect(deploy.stderr).toContain('ad-hoc ("incident INC-42"');
    expect(jsonOf(list).adHoc).toMatchObject([{ scope: 'all', reason: 'incident INC-42' }]);
    expect(after.code).toBe(0);
  }, 90_000);
});
