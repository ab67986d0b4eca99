import type { ApprovalRequest, DeployRecord, Release } from '../../src/engine/model';
import type { TargetHealth } from '../../src/engine/types';
import { approvalView } from '../../src/slack/views/approval';
import { LIMITS, type SlackBlock } from '../../src/slack/views/blocks';
import { deployMessageView, type DeployViewState } from '../../src/slack/views/deploy-message';
import { historyView } from '../../src/slack/views/history';
import { homeView } from '../../src/slack/views/home';
import { releasesPickerView } from '../../src/slack/views/releases';
import { statusView } from '../../src/slack/views/status';
import { logFindingsView, serviceEventsView, targetsView } from '../../src/slack/views/thread-details';
import { FakeEngine } from './fake-engine';
import { CONFIG_YAML } from './helpers/harness';
import type { JsonDoc } from '../json';

const HUGE = `x${'<&>`'.repeat(2500)}`; // 10 KB of hostile text
const actor = { id: 'U1', name: 'ana', via: 'slack' as const };

/** Every Block Kit limit the platform facts list, checked over a whole view. */
function expectWithinLimits(blocks: SlackBlock[], maxBlocks: number = LIMITS.messageBlocks): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const b of blocks as JsonDoc[]) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      if (b.text) expect(b.text.text.length).toBeGreaterThan(0);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(10);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    const buttons = [...(b.type === 'actions' ? b.elements : []), ...(b.accessory ? [b.accessory] : [])];
    if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(25);
    for (const btn of buttons) {
      expect(btn.text.text.length).toBeLessThanOrEqual(75);
      expect(btn.value.length).toBeLessThanOrEqual(2000);
      if (btn.confirm) {
        expect(btn.confirm.title.text.length).toBeLessThanOrEqual(100);
        expect(btn.confirm.text.text.length).toBeLessThanOrEqual(300);
      }
    }
  }
}

const state = (over: Partial<DeployViewState> = {}): DeployViewState => ({
  changeId: 'd-1',
  kind: 'deploy',
  service: 'backend',
  sha: 'abc1234def',
  digest: `sha256:${'cd'.repeat(32)}`,
  fromTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/backend:41',
  toTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/backend:42',
  actor,
  startedAt: new Date(Date.now() - 75_000).toISOString(),
  finishedAt: null,
  phases: [],
  progress: null,
  outcome: 'running',
  summary: null,
  notes: [],
  ...over,
});

describe('views: Block Kit limits whatever the data', () => {
  it('the parent message survives 10 KB phase details, summaries and notes', () => {
    const view = deployMessageView(
      state({
        phases: [{ name: 'rollout', mark: 'failed', detail: HUGE }],
        summary: HUGE,
        notes: Array(40).fill(HUGE),
        outcome: 'rolled_back',
        finishedAt: new Date().toISOString(),
      }),
      Date.now(),
    );
    expectWithinLimits(view.blocks);
    expect(view.text.length).toBeLessThanOrEqual(3000);
  });

  it('shows ✓ ✗ … and – marks, counts and elapsed time', () => {
    const view = deployMessageView(
      state({
        phases: [
          { name: 'resolve_image', mark: 'ok' },
          { name: 'register', mark: 'skipped' },
          { name: 'rollout', mark: 'running' },
        ],
        progress: { running: 1, desired: 2, pending: 1, rolloutState: 'IN_PROGRESS' },
      }),
      Date.now(),
    );
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('✓ Resolve image');
    expect(text).toContain('– Register revision');
    expect(text).toContain('… Roll out');
    expect(text).toContain('running 1/2 (1 pending)');
    expect(text).toMatch(/elapsed 1m1[45]s/);
    expect(text).toContain('cancel_deploy');
  });

  it('service events: 10 KB messages and 200 of them stay within limits, oldest first', () => {
    const events = Array.from({ length: 200 }, (_, i) => ({
      id: `e${i}`,
      createdAt: new Date(1_700_000_000_000 + i * 1000),
      message: `${i} ${HUGE}`,
    }));
    const view = serviceEventsView(events);
    expectWithinLimits(view.blocks);
    expect(JSON.stringify(view.blocks)).toContain('185 earlier events not shown');
    expect(JSON.stringify(view.blocks)).not.toContain('`<');
  });

  it('200 targets are summarised with counts and a few unhealthy ones', () => {
    const targets: TargetHealth[] = Array.from({ length: 200 }, (_, i) => ({
      id: `10.0.${Math.floor(i / 250)}.${i}`,
      port: 8080,
      state: i % 2 ? 'healthy' : 'unhealthy',
      reason: HUGE,
    }));
    const view = targetsView(targets);
    expectWithinLimits(view.blocks);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('healthy 100');
    expect(text).toContain('unhealthy 100');
    expect(text).toContain('90 more unhealthy targets not shown');
  });

  it('log findings are sanitised and bounded; mentions in log lines stay inert', () => {
    const view = logFindingsView({
      pattern: 'ERROR',
      count: 5000,
      truncated: true,
      sample: Array(10).fill({ timestamp: new Date().toISOString(), message: `ERROR <!channel> \u0007${HUGE}` }),
    });
    expectWithinLimits(view.blocks);
    const text = JSON.stringify(view.blocks);
    expect(text).not.toContain('\\u0007');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('100 releases: a picker of at most 50 blocks with a note about the rest', () => {
    const releases: Release[] = Array.from({ length: 100 }, (_, i) => ({
      deployId: `d-${i}`,
      sha: 'abc1234',
      digest: `sha256:${'ef'.repeat(32)}`,
      taskDefinition: `arn:aws:ecs:us-east-1:1:task-definition/${'f'.repeat(200)}:${100 - i}`,
      at: new Date().toISOString(),
      actor,
      current: i === 0,
    }));
    const view = releasesPickerView('backend', releases);
    expectWithinLimits(view.blocks);
    expect(JSON.stringify(view.blocks)).toContain('80 older releases not shown');
  });

  it('history of 100 changes stays within limits', () => {
    const record: DeployRecord = {
      id: 'd',
      kind: 'deploy',
      service: 'backend',
      sha: 'abc1234',
      digest: null,
      image: null,
      fromTaskDefinition: null,
      toTaskDefinition: null,
      finalTaskDefinition: null,
      outcome: 'succeeded',
      actor,
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      phases: [],
      result: null,
      owner: 'h:1',
      slack: null,
      reportPath: null,
    };
    const view = historyView(Array(100).fill(record), Date.now());
    expectWithinLimits(view.blocks);
  });

  it('the approval message keeps within limits with a 10 KB reason and impact', () => {
    const request: ApprovalRequest = {
      id: 'a-1',
      service: 'backend',
      action: 'stop',
      params: {},
      requester: actor,
      reason: HUGE,
      impact: HUGE,
      createdAt: new Date().toISOString(),
      expiresAt: new Date().toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      slack: null,
    };
    expectWithinLimits(approvalView(request).blocks);
  });

  it('status and the Home tab keep within limits (≤50 and ≤100 blocks) with 200 services and long events', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `svc${i}`);
    // One real status, as the engine answers it, stands for each of 200 services.
    const fake = await FakeEngine.start(CONFIG_YAML);
    const backend = await fake.engine.status('backend');
    await fake.close();
    const statusOf = (name: string) => ({ ...structuredClone(backend), service: { ...backend.service, name } });
    const status = statusOf('svc0');
    status.state.events = Array.from({ length: 100 }, (_, i) => ({ id: `${i}`, createdAt: new Date(), message: HUGE }));
    status.targets = Array.from({ length: 200 }, (_, i) => ({ id: `t${i}`, state: 'healthy' }));
    expectWithinLimits(statusView(status, Date.now()).blocks);
    const entries = names.map((service) => ({ service, status: statusOf(service) }));
    const home = homeView(entries, Date.now());
    expectWithinLimits(home.blocks, LIMITS.homeBlocks);
    expect(JSON.stringify(home.blocks)).toContain('more not shown');
  });
});
