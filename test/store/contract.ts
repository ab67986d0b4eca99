/**
 * The behaviour every StorePort adapter must have, as one suite: each adapter's test file
 * calls describeStoreContract with a way to open a fresh, empty store.
 */
import type { ApprovalRequest, AuditEntry, DeployRecord, LockInfo } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/store-port';
import { ALICE, BOB, CLI_CAROL, ROLLED_BACK_DEPLOY, SUCCEEDED_DEPLOY, recordFor } from '../report/fixtures';

export interface OpenedStore {
  store: StorePort;
  /** Closes the store and removes what the test created (file, table). */
  close(): Promise<void>;
}

const T0 = Date.parse('2025-01-21T14:30:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();
const DAVE = { id: 'U0DAVE', name: 'Dave Ortiz', via: 'slack' as const };

/** The bot's deploy of backend, leased for 30 s from T0. */
const BOT_LOCK: LockInfo & { leaseExpiresAt: string } = {
  service: 'backend',
  action: 'deploy',
  changeId: 'dep_bot_1',
  actor: ALICE,
  owner: 'owner-bot-a1',
  acquiredAt: iso(0),
  leaseExpiresAt: iso(30),
};

/** A CI rollback of backend, asking at T0 + 1 s. */
const CI_LOCK: LockInfo & { leaseExpiresAt: string } = {
  service: 'backend',
  action: 'rollback',
  changeId: 'dep_ci_1',
  actor: CLI_CAROL,
  owner: 'owner-ci-b2',
  acquiredAt: iso(1),
  leaseExpiresAt: iso(31),
};

/** A deploy that has only begun: no result, no phases yet. */
export function runningRecord(id: string, service: string, startedAt: string): DeployRecord {
  return {
    ...recordFor(SUCCEEDED_DEPLOY),
    id,
    service,
    startedAt,
    outcome: 'running',
    finishedAt: null,
    finalTaskDefinition: null,
    phases: [],
    result: null,
    slack: null,
  };
}

/** Alice asks to stop backend at T0; the request expires 10 minutes later. */
export function stopRequest(id = 'apr_1'): ApprovalRequest {
  return {
    id,
    service: 'backend',
    action: 'stop',
    params: { reason: 'data leak suspected' },
    requester: ALICE,
    reason: 'data leak suspected',
    impact: 'desired 2 → 0',
    createdAt: iso(0),
    expiresAt: iso(600),
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    slack: null,
  };
}

const audit = (action: string, service: string | null, seconds: number): AuditEntry => ({
  at: iso(seconds),
  actor: CLI_CAROL,
  action,
  service,
  details: { reason: 'data leak suspected', desired: { from: 2, to: 0 } },
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`StorePort contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: StorePort;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.close();
    });

    describe('locks', () => {
      it('takes a free lock and refuses a second change, naming the holder', async () => {
        expect(await store.acquireLock(BOT_LOCK, at(0))).toEqual({ ok: true });
        expect(await store.acquireLock(CI_LOCK, at(1))).toEqual({ ok: false, holder: BOT_LOCK });
        expect(await store.getLock('backend')).toEqual(BOT_LOCK);
      });

      it('treats a second acquire by the same change and owner as already held', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.acquireLock(BOT_LOCK, at(5))).toEqual({ ok: true });
      });

      it('refuses the same change from another owner while the lease is fresh', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        const other = await store.acquireLock({ ...BOT_LOCK, owner: 'owner-bot-c3' }, at(5));
        expect(other).toEqual({ ok: false, holder: BOT_LOCK });
      });

      it('keeps locks of different services apart and lists them by service', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.acquireLock({ ...CI_LOCK, service: 'frontend' }, at(1))).toEqual({ ok: true });
        expect((await store.listLocks()).map((l) => l.service)).toEqual(['backend', 'frontend']);
      });

      it('releases only for the change that holds the lock', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.releaseLock('backend', 'dep_ci_1')).toBe(false);
        expect((await store.getLock('backend'))?.changeId).toBe('dep_bot_1');
        expect(await store.releaseLock('backend', 'dep_bot_1')).toBe(true);
        expect(await store.getLock('backend')).toBeUndefined();
        expect(await store.releaseLock('backend', 'dep_bot_1')).toBe(false);
        expect(await store.acquireLock(CI_LOCK, at(1))).toEqual({ ok: true });
      });

      it('breaks a lock whoever holds it and returns what it removed', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.breakLock('backend')).toEqual(BOT_LOCK);
        expect(await store.breakLock('backend')).toBeUndefined();
        expect(await store.releaseLock('backend', 'dep_bot_1')).toBe(false);
        expect(await store.acquireLock(CI_LOCK, at(1))).toEqual({ ok: true });
      });
    });

    describe('leases', () => {
      it('renews the lease for the holder only', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.renewLease('backend', 'dep_bot_1', 'owner-other', iso(40))).toBe(false);
        expect(await store.renewLease('backend', 'dep_other', 'owner-bot-a1', iso(40))).toBe(false);
        expect(await store.renewLease('backend', 'dep_bot_1', 'owner-bot-a1', iso(40))).toBe(true);
        expect((await store.getLock('backend'))?.leaseExpiresAt).toBe(iso(40));
        expect(await store.renewLease('frontend', 'dep_bot_1', 'owner-bot-a1', iso(40))).toBe(false);
      });

      it('lets another change take over only after the lease expired, reporting whom it replaced', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        expect(await store.acquireLock(CI_LOCK, at(29))).toEqual({ ok: false, holder: BOT_LOCK });
        const late = { ...CI_LOCK, acquiredAt: iso(31), leaseExpiresAt: iso(61) };
        expect(await store.acquireLock(late, at(31))).toEqual({ ok: true, tookOverFrom: BOT_LOCK });
        expect(await store.getLock('backend')).toEqual(late);
        expect(await store.renewLease('backend', 'dep_bot_1', 'owner-bot-a1', iso(90))).toBe(false);
        expect(await store.releaseLock('backend', 'dep_bot_1')).toBe(false);
      });

      it('never takes over a lease that was renewed in time', async () => {
        await store.acquireLock(BOT_LOCK, at(0));
        await store.renewLease('backend', 'dep_bot_1', 'owner-bot-a1', iso(55));
        const refused = await store.acquireLock({ ...CI_LOCK, acquiredAt: iso(31), leaseExpiresAt: iso(61) }, at(31));
        expect(refused).toEqual({ ok: false, holder: { ...BOT_LOCK, leaseExpiresAt: iso(55) } });
      });

      it('gives the lock to exactly one of 20 racing changes', async () => {
        const attempts = Array.from({ length: 20 }, (_, i) => ({
          ...CI_LOCK,
          changeId: `dep_race_${i}`,
          owner: `owner-${i}`,
        }));
        const results = await Promise.all(attempts.map((lock) => store.acquireLock(lock, at(1))));
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const holder = await store.getLock('backend');
        for (const r of results) if (!r.ok) expect(r.holder).toEqual(holder);
      });
    });

    describe('resume', () => {
      it('lets exactly one of two live owners take over the change of a dead holder', async () => {
        // Prepare: the bot's lease ran out at T0 + 30 s without a renewal.
        await store.acquireLock(BOT_LOCK, at(0));
        const resumeBy = (owner: string) => ({ ...BOT_LOCK, owner, acquiredAt: iso(45), leaseExpiresAt: iso(75) });

        // Act
        const [a, b] = await Promise.all([
          store.acquireLock(resumeBy('owner-replica-a'), at(45)),
          store.acquireLock(resumeBy('owner-replica-b'), at(45)),
        ]);

        // Assess
        expect([a, b].filter((r) => r.ok)).toEqual([{ ok: true, tookOverFrom: BOT_LOCK }]);
        const loser = a.ok ? b : a;
        const holder = await store.getLock('backend');
        expect(loser).toEqual({ ok: false, holder });
        expect(['owner-replica-a', 'owner-replica-b']).toContain(holder?.owner);
      });
    });

    describe('approvals', () => {
      beforeEach(async () => {
        await store.insertApproval(stopRequest());
      });

      it('refuses the requester approving their own request and leaves it pending', async () => {
        expect(await store.decideApproval('apr_1', 'approved', ALICE, at(60))).toMatchObject({
          ok: false,
          reason: 'self_approval',
        });
        expect((await store.getApproval('apr_1'))?.status).toBe('pending');
      });

      it('approves once for a second person and refuses any later decision', async () => {
        const [first, second] = await Promise.all([
          store.decideApproval('apr_1', 'approved', BOB, at(60)),
          store.decideApproval('apr_1', 'approved', DAVE, at(60)),
        ]);
        expect([first, second].filter((d) => d.ok)).toHaveLength(1);
        const winner = first.ok ? first : second;
        expect(winner.request).toMatchObject({ status: 'approved', decidedAt: iso(60) });
        expect(first.ok ? second : first).toMatchObject({ ok: false, reason: 'already_decided' });
        expect(await store.decideApproval('apr_1', 'denied', DAVE, at(61))).toMatchObject({
          ok: false,
          reason: 'already_decided',
        });
      });

      it('lets the requester withdraw (deny) their own request', async () => {
        expect(await store.decideApproval('apr_1', 'denied', ALICE, at(60))).toMatchObject({
          ok: true,
          request: { status: 'denied', decidedBy: ALICE },
        });
      });

      it('refuses an approval after the deadline as expired and marks the request expired', async () => {
        const late = await store.decideApproval('apr_1', 'approved', BOB, at(600));
        expect(late).toMatchObject({ ok: false, reason: 'expired', request: { status: 'expired' } });
        expect((await store.getApproval('apr_1'))?.status).toBe('expired');
        expect(await store.decideApproval('apr_1', 'approved', BOB, at(60))).toMatchObject({
          reason: 'already_decided',
        });
      });

      it('consumes an approved request once with used, keeping the approver recorded', async () => {
        await store.decideApproval('apr_1', 'approved', BOB, at(60));
        const [a, b] = await Promise.all([
          store.decideApproval('apr_1', 'used', ALICE, at(61)),
          store.decideApproval('apr_1', 'used', ALICE, at(61)),
        ]);
        expect([a, b].filter((d) => d.ok)).toEqual([
          { ok: true, request: expect.objectContaining({ status: 'used', decidedBy: BOB }) },
        ]);
        expect(a.ok ? b : a).toMatchObject({ ok: false, reason: 'already_decided' });
      });

      it('refuses used on a request nobody approved, and answers not_found for an unknown id', async () => {
        expect(await store.decideApproval('apr_1', 'used', ALICE, at(60))).toMatchObject({
          ok: false,
          reason: 'already_decided',
        });
        expect((await store.getApproval('apr_1'))?.status).toBe('pending');
        expect(await store.decideApproval('apr_nope', 'approved', BOB, at(60))).toEqual({
          ok: false,
          reason: 'not_found',
          request: null,
        });
      });

      it('round-trips a request and lists by service and status, newest first', async () => {
        await store.insertApproval({ ...stopRequest('apr_2'), createdAt: iso(60), action: 'restart' });
        await store.insertApproval({ ...stopRequest('apr_3'), service: 'frontend' });
        await store.setApprovalSlack('apr_1', { channel: 'C0DEPLOYS', ts: '1737471600.000200' });
        await store.setApprovalSlack('apr_nope', { channel: 'C0DEPLOYS', ts: '1737471600.000300' });
        await store.decideApproval('apr_2', 'denied', BOB, at(120));

        const slack = { channel: 'C0DEPLOYS', ts: '1737471600.000200' };
        expect(await store.listApprovals({ service: 'backend', status: 'pending' })).toEqual([
          { ...stopRequest(), slack },
        ]);
        expect((await store.listApprovals({ service: 'backend' })).map((r) => r.id)).toEqual(['apr_2', 'apr_1']);
        expect((await store.listApprovals({ status: 'pending' })).map((r) => r.id).sort()).toEqual(['apr_1', 'apr_3']);
        expect(await store.getApproval('apr_nope')).toBeUndefined();
      });
    });

    describe('deploy records', () => {
      it('round-trips a finished record with its phases, result and Slack thread exactly', async () => {
        const record = recordFor(ROLLED_BACK_DEPLOY, {
          reportPath: 'reports/deployment-20250121-150405-backend-deploy.md',
        });
        await store.insertDeploy(record);
        expect(await store.getDeploy(record.id)).toEqual(record);
        expect(await store.getDeploy('dep_missing')).toBeUndefined();
      });

      it('applies partial updates, keeping the phases recorded so far', async () => {
        await store.insertDeploy(runningRecord('dep_1', 'backend', iso(0)));
        await store.updateDeploy('dep_1', { phases: SUCCEEDED_DEPLOY.phases.slice(0, 3) });
        await store.updateDeploy('dep_1', {
          outcome: 'succeeded',
          finishedAt: SUCCEEDED_DEPLOY.finishedAt,
          phases: SUCCEEDED_DEPLOY.phases,
          result: SUCCEEDED_DEPLOY,
          slack: { channel: 'C0DEPLOYS', ts: '1737471022.000100' },
        });
        expect(await store.getDeploy('dep_1')).toMatchObject({
          outcome: 'succeeded',
          sha: 'abc1234',
          phases: SUCCEEDED_DEPLOY.phases,
          result: SUCCEEDED_DEPLOY,
          slack: { channel: 'C0DEPLOYS', ts: '1737471022.000100' },
          finalTaskDefinition: null,
        });
        expect(await store.runningDeploys()).toEqual([]);
      });

      it('keeps a cancel request on a running record, for the process that runs the change', async () => {
        await store.insertDeploy(runningRecord('dep_1', 'backend', iso(0)));
        expect((await store.getDeploy('dep_1'))?.cancelRequest).toBeUndefined();
        await store.updateDeploy('dep_1', { cancelRequest: { by: BOB, at: iso(30) } });
        expect(await store.getDeploy('dep_1')).toMatchObject({
          outcome: 'running',
          cancelRequest: { by: BOB, at: iso(30) },
        });
        expect((await store.runningDeploys())[0]?.cancelRequest).toEqual({ by: BOB, at: iso(30) });
      });

      it('keeps what a deploy shipped (count, oldest commit date) for delivery metrics', async () => {
        const summary = {
          status: 'ahead' as const,
          baseSha: 'a'.repeat(40),
          headSha: 'b'.repeat(7),
          aheadBy: 12,
          behindBy: 0,
          totalCommits: 12,
          oldestCommitAt: iso(-86_400),
        };
        await store.insertDeploy(runningRecord('dep_1', 'backend', iso(0)));
        expect((await store.getDeploy('dep_1'))?.changesSummary).toBeUndefined();
        await store.updateDeploy('dep_1', { changesSummary: summary });
        await store.updateDeploy('dep_1', { outcome: 'succeeded', finishedAt: iso(60) });
        expect((await store.getDeploy('dep_1'))?.changesSummary).toEqual(summary);
        expect((await store.listDeploys({ service: 'backend' }))[0]?.changesSummary).toEqual(summary);
      });

      it('rejects an update of a missing deploy and a duplicate id with store_error', async () => {
        await store.insertDeploy(runningRecord('dep_1', 'backend', iso(0)));
        expect(await rejection(store.updateDeploy('dep_missing', { outcome: 'interrupted' }))).toMatchObject({
          code: 'store_error',
        });
        expect(await rejection(store.insertDeploy(runningRecord('dep_1', 'backend', iso(0))))).toMatchObject({
          code: 'store_error',
        });
      });

      it('lists newest first, filtered by service, services, kind and outcome, within the limit', async () => {
        await store.insertDeploy(runningRecord('dep_a', 'backend', iso(0)));
        await store.insertDeploy({ ...runningRecord('dep_b', 'backend', iso(7200)), outcome: 'succeeded' });
        await store.insertDeploy({ ...runningRecord('dep_c', 'frontend', iso(3600)), outcome: 'succeeded' });
        await store.insertDeploy({
          ...runningRecord('dep_d', 'backend', iso(10800)),
          kind: 'rollback',
          outcome: 'succeeded',
        });
        await store.insertDeploy({ ...runningRecord('dep_e', 'worker', iso(1800)), outcome: 'rolled_back' });

        const ids = async (filter: Parameters<StorePort['listDeploys']>[0]) =>
          (await store.listDeploys(filter)).map((d) => d.id);
        expect(await ids({})).toEqual(['dep_d', 'dep_b', 'dep_c', 'dep_e', 'dep_a']);
        expect(await ids({ service: 'backend', limit: 2 })).toEqual(['dep_d', 'dep_b']);
        expect(await ids({ service: 'backend', kind: 'deploy', outcome: 'succeeded' })).toEqual(['dep_b']);
        expect(await ids({ services: ['frontend', 'worker'] })).toEqual(['dep_c', 'dep_e']);
        expect(await ids({ services: ['frontend', 'worker'], service: 'backend', limit: 1 })).toEqual(['dep_d']);
        expect(await ids({ outcome: 'succeeded', limit: 2 })).toEqual(['dep_d', 'dep_b']);
        expect(await ids({ outcome: 'running' })).toEqual(['dep_a']);
        expect(await ids({ limit: 0 })).toHaveLength(1);
      });

      it('caps a list at 20 by default', async () => {
        for (let i = 0; i < 25; i++)
          await store.insertDeploy(runningRecord(`dep_${String(i).padStart(2, '0')}`, 'backend', iso(i * 60)));
        const first = await store.listDeploys({ service: 'backend' });
        expect(first).toHaveLength(20);
        expect(first[0].id).toBe('dep_24');
      });

      it('gives the outlines of the changes that started within a window, oldest first, by service', async () => {
        const summary = {
          status: 'ahead' as const,
          baseSha: null,
          headSha: 'b'.repeat(40),
          aheadBy: 2,
          behindBy: 0,
          totalCommits: 2,
          oldestCommitAt: iso(-3600),
        };
        await store.insertDeploy({ ...runningRecord('dep_old', 'backend', iso(-7200)), outcome: 'succeeded' });
        await store.insertDeploy({ ...runningRecord('dep_b1', 'backend', iso(0)), changesSummary: summary });
        await store.updateDeploy('dep_b1', { outcome: 'succeeded', finishedAt: iso(60) });
        await store.insertDeploy({ ...runningRecord('dep_f1', 'frontend', iso(600)), outcome: 'rolled_back' });
        await store.insertDeploy({ ...runningRecord('dep_b2', 'backend', iso(1200)), kind: 'rollback' });
        await store.insertDeploy(runningRecord('dep_late', 'worker', iso(3600)));

        const window = { from: iso(0), to: iso(3600) };
        const all = await store.changesBetween(window);
        expect(all.map((c) => c.id)).toEqual(['dep_b1', 'dep_f1', 'dep_b2']);
        expect(all[0]).toEqual({
          id: 'dep_b1',
          kind: 'deploy',
          service: 'backend',
          outcome: 'succeeded',
          startedAt: iso(0),
          finishedAt: iso(60),
          changesSummary: summary,
        });
        expect(all[2]).toMatchObject({ kind: 'rollback', outcome: 'running', finishedAt: null, changesSummary: null });
        const ids = async (services: string[]) =>
          (await store.changesBetween({ ...window, services })).map((c) => c.id);
        expect(await ids(['backend'])).toEqual(['dep_b1', 'dep_b2']);
        expect(await ids(['frontend', 'worker'])).toEqual(['dep_f1']);
        expect(await ids([])).toEqual([]);
      });

      it('reports the records still running, so a restart can pick them up', async () => {
        await store.insertDeploy(runningRecord('dep_1', 'backend', iso(0)));
        await store.insertDeploy(runningRecord('dep_2', 'frontend', iso(300)));
        await store.updateDeploy('dep_1', { outcome: 'interrupted', finishedAt: iso(1200) });
        expect((await store.runningDeploys()).map((d) => d.id)).toEqual(['dep_2']);
      });
    });

    describe('audit log', () => {
      it('lists entries newest first with their details, filtered by service and limit', async () => {
        await store.appendAudit(audit('stop', 'backend', 0));
        await store.appendAudit(audit('approval.approved', 'frontend', 60));
        await store.appendAudit(audit('config.reloaded', null, 120));
        const all = await store.listAudit({});
        expect(all.map((e) => e.action)).toEqual(['config.reloaded', 'approval.approved', 'stop']);
        expect(all[2]).toMatchObject(audit('stop', 'backend', 0));
        expect((await store.listAudit({ service: 'backend' })).map((e) => e.action)).toEqual(['stop']);
        expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
      });

      it('keeps the order of entries appended with the same time', async () => {
        for (const action of ['first', 'second', 'third']) await store.appendAudit(audit(action, 'backend', 0));
        expect((await store.listAudit({ service: 'backend' })).map((e) => e.action)).toEqual([
          'third',
          'second',
          'first',
        ]);
      });

      it('offers no way to change or remove an entry through the store', () => {
        const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store)).filter((m) => /audit/i.test(m));
        expect(methods.sort()).toEqual(['appendAudit', 'listAudit']);
      });
    });

    describe('kept counts, reports and health', () => {
      it('keeps, replaces and clears the desired count of a stopped service', async () => {
        await store.setKeptCount('backend', 2);
        await store.setKeptCount('backend', 4);
        expect(await store.getKeptCount('backend')).toBe(4);
        expect(await store.getKeptCount('frontend')).toBeUndefined();
        await store.clearKeptCount('backend');
        expect(await store.getKeptCount('backend')).toBeUndefined();
      });

      it('saves a report per deploy, replacing an earlier one', async () => {
        await store.saveReport('dep_1', '# draft');
        await store.saveReport('dep_1', '# final');
        expect(await store.getReport('dep_1')).toBe('# final');
        expect(await store.getReport('dep_2')).toBeUndefined();
      });

      it('keeps a report larger than one DynamoDB item whole', async () => {
        const big = `# report\n${'| check | ✅ pass | 😀 |\n'.repeat(40_000)}`;
        await store.saveReport('dep_1', big);
        await store.saveReport('dep_1', `${big}\nsaved again`);
        expect(await store.getReport('dep_1')).toBe(`${big}\nsaved again`);
      });

      it('answers ping while open, and rejects calls with store_error once closed', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        expect(store.describe).toMatch(/^(sqlite|dynamodb):/);
        await store.close();
        expect(await rejection(store.getDeploy('dep_1'))).toMatchObject({ code: 'store_error' });
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
