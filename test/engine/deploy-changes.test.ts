/**
 * The engine's side of what a deploy ships: it asks the ChangesPort for the commits from the
 * running release's SHA to the target while the image resolves, shows them before the approval,
 * returns and records them, and goes on whatever the port answers.
 */
import type { ChangesPort, DeployChanges } from '../../src/engine/changes';
import type { EngineEvent } from '../../src/engine/model';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML } from '../fakes';

const REPO = 'https://github.com/example/backend';

/** A ChangesPort that answers `ahead` with one commit per call, recording what it was asked and when. */
class RecordingChanges implements ChangesPort {
  readonly asked: { base: string; head: string; eventsSoFar: number }[] = [];
  constructor(
    private readonly events: EngineEvent[],
    private readonly answer?: (base: string, head: string) => Promise<DeployChanges>,
  ) {}

  between(repositoryUrl: string, base: string, head: string): Promise<DeployChanges> {
    expect(repositoryUrl).toBe(REPO);
    this.asked.push({ base, head, eventsSoFar: this.events.length });
    if (this.answer) return this.answer(base, head);
    return Promise.resolve({
      status: 'ahead',
      baseSha: base,
      headSha: head,
      aheadBy: 2,
      behindBy: 0,
      totalCommits: 2,
      commits: [
        { sha: head.padEnd(40, '0'), title: 'Second (#2)', author: 'ana', pr: 2 },
        { sha: 'f'.repeat(40), title: 'First', author: 'bo', pr: null },
      ],
      compareUrl: `${REPO}/compare/${base}...${head}`,
      oldestCommitAt: '2026-11-20T08:00:00.000Z',
      unavailable: null,
    });
  }
}

describe('Engine: the changes a deploy ships', () => {
  it('reads them while the image resolves, shows them before the approval, returns and records them', async () => {
    // Prepare: the port answers only once the image has resolved, so a deploy that waited for it first would hang.
    const events: EngineEvent[] = [];
    let release: () => void = () => undefined;
    const resolvedImage = new Promise<void>((r) => {
      release = r;
    });
    const answering = new RecordingChanges([]);
    const port = new RecordingChanges(events, async (base, head) => {
      await resolvedImage;
      return answering.between(REPO, base, head);
    });
    const t = createTestEngine({ changes: port });
    const onEvent = (e: EngineEvent) => {
      events.push(e);
      if (e.type === 'phase_finished' && e.phase === 'resolve_image') release();
    };

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice, onEvent });

    // Assess
    expect(result.ok).toBe(true);
    // The running release is tagged with its SHA in ECR: that is the base.
    expect(port.asked).toEqual([expect.objectContaining({ base: sha(1).slice(0, 7), head: sha(2).slice(0, 7) })]);
    const shown = events.findIndex((e) => e.type === 'changes');
    const approval = events.findIndex((e) => e.type === 'phase_started' && e.phase === 'approval');
    expect(shown).toBeGreaterThan(-1);
    expect(shown).toBeLessThan(approval);
    expect(result.changes).toMatchObject({ status: 'ahead', aheadBy: 2, totalCommits: 2 });
    expect((await t.engine.getChange(result.deployId!))?.changesSummary).toEqual({
      status: 'ahead',
      baseSha: sha(1).slice(0, 7),
      headSha: sha(2).slice(0, 7),
      aheadBy: 2,
      behindBy: 0,
      totalCommits: 2,
      oldestCommitAt: '2026-11-20T08:00:00.000Z',
    });
    expect(await t.engine.report(result.deployId!)).toContain('## Changes');
  });

  it('takes the running SHA from the deploy that put the running revision there', async () => {
    const port = new RecordingChanges([]);
    const t = createTestEngine({ changes: port });
    await t.engine.deploy({ service: 'backend', sha: sha(2), actor: alice });

    await t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice });

    expect(port.asked[1]).toMatchObject({ base: sha(2), head: sha(3).slice(0, 7) });
  });

  it('a rollback reads what it takes away, from the running SHA back to the release it returns to', async () => {
    const port = new RecordingChanges([]);
    const t = createTestEngine({ changes: port });
    await t.engine.deploy({ service: 'backend', sha: sha(2), actor: alice });
    await t.engine.deploy({ service: 'backend', sha: sha(3), actor: alice });

    const result = await t.engine.rollback({ service: 'backend', target: { kind: 'previous' }, actor: alice });

    expect(result.ok).toBe(true);
    expect(port.asked.at(-1)).toMatchObject({ base: sha(3), head: sha(2) });
    expect(result.changes).toMatchObject({ baseSha: sha(3), headSha: sha(2) });
    expect((await t.engine.getChange(result.deployId!))?.changesSummary).toMatchObject({ baseSha: sha(3) });
  });

  it('a port that fails anyway never stops the deploy: the changes are unavailable', async () => {
    const port = new RecordingChanges([], () => Promise.reject(new Error('boom')));
    const t = createTestEngine({ changes: port });

    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });

    expect(result.ok).toBe(true);
    expect(result.changes).toMatchObject({ status: 'unavailable', unavailable: 'the changes could not be read' });
  });

  it('a port that never answers does not hold the deploy: past the cap the changes are unavailable', async () => {
    const port = new RecordingChanges([], () => new Promise<DeployChanges>(() => undefined));
    const t = createTestEngine({ changes: port });

    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });

    expect(result.ok).toBe(true);
    expect(result.changes?.unavailable).toMatch(/^the changes took longer than \d+ s to read$/);
  });

  it('a service without repositoryUrl shows none, and the port is not asked', async () => {
    const port = new RecordingChanges([]);
    const t = createTestEngine({
      changes: port,
      configYaml: TEST_CONFIG_YAML.replace(/^\s*repositoryUrl:.*$/m, ''),
    });

    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });

    expect(result.changes).toBeNull();
    expect(port.asked).toEqual([]);
  });

  it('a dry run shows the changes and changes nothing', async () => {
    const port = new RecordingChanges([]);
    const t = createTestEngine({ changes: port });

    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice, dryRun: true });

    expect(result.changes).toMatchObject({ status: 'ahead', totalCommits: 2 });
    expect(t.world.writes()).toEqual([]);
  });

  it('a deploy approval request carries the changes for the approvers, and its impact the count', async () => {
    const t = createTestEngine({ changes: new RecordingChanges([]) });

    const request = await t.engine.requestApproval({
      service: 'backend',
      action: 'deploy',
      params: { sha: sha(2).slice(0, 7) },
      requester: bob,
      reason: 'release',
    });

    expect(request.impact).toBe(`deploy ${sha(2).slice(0, 7)} to backend; ships 2 commits`);
    expect((request.params.changes as DeployChanges).commits).toHaveLength(2);
    expect((await t.engine.getApproval(request.id))?.params.changes).toEqual(request.params.changes);
  });
});
