import { openStore } from '../../src/store';
import type { ApprovalRequest } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { ALICE, BOB } from '../report/fixtures';
import { makeTempDir, type TempDir } from './temp-db';

const CREATED = new Date('2025-01-21T15:00:00.000Z');
const BEFORE_EXPIRY = new Date('2025-01-21T15:05:00.000Z');
const AFTER_EXPIRY = new Date('2025-01-21T15:10:00.001Z');
const DAVE = { id: 'U0DAVE', name: 'Dave Ortiz', via: 'slack' as const };

/** Alice asks to stop backend; the request expires after 10 minutes. */
function stopRequest(id = 'apr_1'): ApprovalRequest {
  return {
    id,
    service: 'backend',
    action: 'stop',
    params: { reason: 'data leak suspected' },
    requester: ALICE,
    reason: 'data leak suspected',
    impact: 'desired 2 → 0',
    createdAt: CREATED.toISOString(),
    expiresAt: '2025-01-21T15:10:00.000Z',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    slack: null,
  };
}

describe('Class: SqliteStore, approvals', () => {
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
    other.close();
    temp.remove();
  });

  it('refuses the requester approving their own request and leaves it pending', async () => {
    // Act
    const decision = await store.decideApproval('apr_1', 'approved', ALICE, BEFORE_EXPIRY);

    // Assess
    expect(decision).toMatchObject({ ok: false, reason: 'self_approval' });
    expect((await store.getApproval('apr_1'))?.status).toBe('pending');
  });

  it('approves once for a second person and refuses any later decision as already_decided', async () => {
    // Act
    const first = await store.decideApproval('apr_1', 'approved', BOB, BEFORE_EXPIRY);
    const second = await other.decideApproval('apr_1', 'approved', DAVE, BEFORE_EXPIRY);
    const lateDeny = await other.decideApproval('apr_1', 'denied', DAVE, BEFORE_EXPIRY);

    // Assess
    expect(first.ok).toBe(true);
    expect(first.request).toMatchObject({ status: 'approved', decidedBy: BOB, decidedAt: BEFORE_EXPIRY.toISOString() });
    expect(second).toMatchObject({ ok: false, reason: 'already_decided', request: { status: 'approved', decidedBy: BOB } });
    expect(lateDeny).toMatchObject({ ok: false, reason: 'already_decided' });
  });

  it('lets the requester withdraw (deny) their own request', async () => {
    // Act
    const decision = await store.decideApproval('apr_1', 'denied', ALICE, BEFORE_EXPIRY);

    // Assess
    expect(decision).toMatchObject({ ok: true, request: { status: 'denied', decidedBy: ALICE } });
  });

  it('refuses an approval after the deadline as expired and marks the request expired', async () => {
    // Act
    const decision = await store.decideApproval('apr_1', 'approved', BOB, AFTER_EXPIRY);

    // Assess
    expect(decision).toMatchObject({ ok: false, reason: 'expired', request: { status: 'expired' } });
    expect((await other.getApproval('apr_1'))?.status).toBe('expired');
    expect(await other.decideApproval('apr_1', 'approved', BOB, BEFORE_EXPIRY)).toMatchObject({ reason: 'already_decided' });
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

  it('refuses used on a request nobody approved', async () => {
    // Act
    const decision = await store.decideApproval('apr_1', 'used', ALICE, BEFORE_EXPIRY);

    // Assess
    expect(decision).toMatchObject({ ok: false, reason: 'already_decided' });
    expect((await store.getApproval('apr_1'))?.status).toBe('pending');
  });

  it('answers not_found for an unknown id', async () => {
    expect(await store.decideApproval('apr_nope', 'approved', BOB, BEFORE_EXPIRY)).toEqual({
      ok: false,
      reason: 'not_found',
      request: null,
    });
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
