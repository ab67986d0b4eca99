import { openStore } from '../../src/store';
import type { StorePort } from '../../src/engine/ports';
import { ALICE, BOB } from '../report/fixtures';
import { stopRequest } from './contract';
import { makeTempDir, type TempDir } from './temp-db';

const CREATED = new Date(stopRequest().createdAt);
const BEFORE_EXPIRY = new Date(CREATED.getTime() + 5 * 60_000);
const AFTER_EXPIRY = new Date(Date.parse(stopRequest().expiresAt) + 1);
const DAVE = { id: 'U0DAVE', name: 'Dave Ortiz', via: 'slack' as const };

/**
 * What the contract suite (contract.ts, run on SQLite too) does not show: two connections to one
 * file, as two processes have, deciding the same request.
 */
describe('Class: SqliteStore, approvals decided through two connections', () => {
  let temp: TempDir;
  let store: StorePort;
  let other: StorePort;

  beforeEach(async () => {
    temp = makeTempDir();
    store = openStore(temp.dbPath);
    other = openStore(temp.dbPath);
    await store.insertApproval(stopRequest());
  });

  afterEach(async () => {
    await store.close();
    await other.close();
    temp.remove();
  });

  it('approves once for a second person and refuses any later decision as already_decided', async () => {
    // Act
    const first = await store.decideApproval('apr_1', 'approved', BOB, BEFORE_EXPIRY);
    const second = await other.decideApproval('apr_1', 'approved', DAVE, BEFORE_EXPIRY);
    const lateDeny = await other.decideApproval('apr_1', 'denied', DAVE, BEFORE_EXPIRY);

    // Assess
    expect(first.ok).toBe(true);
    expect(first.request).toMatchObject({ status: 'approved', decidedBy: BOB, decidedAt: BEFORE_EXPIRY.toISOString() });
    expect(second).toMatchObject({
      ok: false,
      reason: 'already_decided',
      request: { status: 'approved', decidedBy: BOB },
    });
    expect(lateDeny).toMatchObject({ ok: false, reason: 'already_decided' });
  });

  it('refuses an approval after the deadline as expired and marks the request expired', async () => {
    // Act
    const decision = await store.decideApproval('apr_1', 'approved', BOB, AFTER_EXPIRY);

    // Assess
    expect(decision).toMatchObject({ ok: false, reason: 'expired', request: { status: 'expired' } });
    expect((await other.getApproval('apr_1'))?.status).toBe('expired');
    expect(await other.decideApproval('apr_1', 'approved', BOB, BEFORE_EXPIRY)).toMatchObject({
      reason: 'already_decided',
    });
  });

  it('consumes an approved request once with used, keeping the approver recorded', async () => {
    // Prepare
    await store.decideApproval('apr_1', 'approved', BOB, BEFORE_EXPIRY);

    // Act
    const used = await store.decideApproval('apr_1', 'used', ALICE, BEFORE_EXPIRY);
    const usedAgain = await other.decideApproval('apr_1', 'used', ALICE, BEFORE_EXPIRY);

    // Assess
    expect(used).toMatchObject({ ok: true, request: { status: 'used', decidedBy: BOB } });
    expect(usedAgain).toMatchObject({ ok: false, reason: 'already_decided' });
  });

  it('round-trips a request and lists by service and status, newest first', async () => {
    // Prepare
    await store.insertApproval({ ...stopRequest('apr_2'), createdAt: '2025-01-21T15:01:00.000Z', action: 'restart' });
    await store.insertApproval({ ...stopRequest('apr_3'), service: 'frontend' });
    await store.setApprovalSlack('apr_1', { channel: 'C0DEPLOYS', ts: '1737471600.000200' });
    await store.decideApproval('apr_2', 'denied', BOB, BEFORE_EXPIRY);

    // Act
    const pendingBackend = await other.listApprovals({ service: 'backend', status: 'pending' });
    const allBackend = await other.listApprovals({ service: 'backend' });

    // Assess
    expect(pendingBackend).toEqual([{ ...stopRequest(), slack: { channel: 'C0DEPLOYS', ts: '1737471600.000200' } }]);
    expect(allBackend.map((r) => r.id)).toEqual(['apr_2', 'apr_1']);
  });
});
