/** `freeze set|list|clear|approve`, a deploy refused by a freeze (exit 4), and its override, from the terminal. */
import type { RuntimeFactory } from '../../src/cli/context';
import { bob, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { run, tempDir } from './helpers';

const SHA2 = sha(2).slice(0, 7);
const CONFIG = `${TEST_CONFIG_YAML}
freezes:
  - name: weekend
    start: "Fri 16:00"
    end: "Mon 08:00"
    timeZone: America/New_York
    reason: nobody on call
`;

describe('CLI: freezes', () => {
  const tmp = tempDir();
  const config = tmp.file('ecs-chatops.yml', CONFIG);
  let t: TestEngine;
  const createRuntime: RuntimeFactory = () =>
    Promise.resolve({ config: t.config, engine: t.engine, store: t.store, close: () => Promise.resolve() });
  const cli = (argv: string[]) => run(['--config', config, ...argv], { createRuntime });

  beforeEach(() => {
    // Wednesday 2026-11-25 10:00 UTC: the weekend window is not in force
    t = createTestEngine({ configYaml: CONFIG });
  });
  afterAll(() => tmp.cleanup());

  it('sets a freeze that refuses a deploy with exit 4, lists it beside the window, and clears it', async () => {
    // Act
    const set = await cli(['freeze', 'set', 'backend', '--for', '2h', '--reason', 'incident INC-42']);
    const deploy = await cli(['deploy', 'backend', SHA2, '--json']);
    const list = await cli(['freeze', 'list']);
    const status = await cli(['status', 'backend']);
    const clear = await cli(['freeze', 'clear', 'backend']);
    const after = await cli(['deploy', 'backend', SHA2]);

    // Assess
    expect(set).toMatchObject({ code: 0, stdout: 'froze backend until Wed 2026-11-25 12:00 UTC: incident INC-42\n' });
    expect(deploy.code).toBe(4);
    expect(JSON.parse(deploy.stdout)).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'frozen' } });
    expect(deploy.stderr).toContain('backend is frozen: ad-hoc ("incident INC-42", set by');
    expect(deploy.stderr).toMatch(
      /^ {2}frozen: ad-hoc \("incident INC-42", set by \S+\) until Wed 2026-11-25 12:00 UTC$/m,
    );
    expect(list.stdout).toMatch(/^NAME\s+SCOPE\s+STATE\s+FROM\s+UNTIL\s+BY\s+REASON/);
    expect(list.stdout).toMatch(/ad-hoc\s+backend\s+in force\s+2026-11-25 10:00:00Z\s+Wed 2026-11-25 12:00 UTC/);
    expect(list.stdout).toMatch(/weekend\s+all\s+next\s+2026-11-27 21:00:00Z\s+Mon 2026-11-30 08:00 EST\s+config/);
    expect(status.stdout).toMatch(/frozen:\s+ad-hoc \("incident INC-42", set by \S+\) until Wed 2026-11-25 12:00 UTC/);
    expect(clear).toMatchObject({ code: 0, stdout: 'lifted the freeze on backend: incident INC-42\n' });
    expect(after.code).toBe(0);
  });

  it('config check names the windows covering each service', async () => {
    const out = await cli(['config', 'check']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/freeze windows:\s+weekend \(Fri 16:00 → Mon 08:00 America\/New_York\)/);
  });

  it('answers bad scopes, durations and missing reasons with exit 2 and sets nothing', async () => {
    // Act
    const outs = await Promise.all([
      cli(['freeze', 'set', 'bakend', '--for', '2h', '--reason', 'x']),
      cli(['freeze', 'set', 'all', '--for', 'soon', '--reason', 'x']),
      cli(['freeze', 'set', 'all', '--for', '31d', '--reason', 'x']),
      cli(['freeze', 'set', 'all', '--for', '2h']),
    ]);

    // Assess
    expect(outs.map((o) => o.code)).toEqual([2, 2, 2, 2]);
    expect(outs[0].stderr).toContain('unknown service "bakend"');
    expect(outs[1].stderr).toContain('--for must be a duration from 1m to 30d');
    expect(await t.store.listFreezes()).toEqual([]);
  });

  it('asks for a second person on deploy --force during a freeze, and deploys with their approval', async () => {
    // Prepare
    await t.engine.setFreeze({ scope: 'all', durationMs: 3_600_000, reason: 'incident', actor: bob });

    // Act: ask; the same person cannot approve; a second person (here in Slack) does; deploy with it
    const asked = await cli(['deploy', 'backend', SHA2, '--force', '--reason', 'hotfix', '--json']);
    const id = String(JSON.parse(asked.stdout).approvalId);
    const self = await cli(['freeze', 'approve', id]);
    await t.engine.decideApproval(id, 'approved', bob);
    const forced = await cli(['deploy', 'backend', SHA2, '--force', '--approval', id, '--json']);

    // Assess
    expect(asked.code).toBe(4);
    expect(JSON.parse(asked.stdout)).toMatchObject({ outcome: 'refused', error: { code: 'approval_required' } });
    expect(asked.stderr).toContain(`a second person runs \`ecs-chatops freeze approve ${id}\``);
    expect(self.code).toBe(4);
    expect(self.stderr).toContain('self approval');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("frozen, overridden with bob's approval: ad-hoc");
    expect(JSON.parse(forced.stdout).phases).toContainEqual(
      expect.objectContaining({ name: 'approval', status: 'ok', detail: 'freeze override (ad-hoc) approved by bob' }),
    );
    const actions = (await t.store.listAudit({ service: 'backend' })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['approval.requested', 'approval.approved', 'freeze.override']));
  });
});
