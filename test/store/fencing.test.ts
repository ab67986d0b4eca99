/**
 * Fenced writes and two-person answers, on both stores (a SQLite file and DynamoDB through
 * dynalite): a write made with a fencing token that moved on changes nothing and is refused
 * with `stale_fence`; a promote request is recorded once and completed once, by a second person.
 */
import type { LockInfo } from '../../src/engine/model';
import type { PromoteRequest, StorePort } from '../../src/engine/store-port';
import { DynamoStore } from '../../src/store/dynamo-store';
import { openStoreFromSpec } from '../../src/store/open-store';
import { ALICE, BOB } from '../report/fixtures';
import { runningRecord } from './contract';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { makeTempDir } from './temp-db';

const T0 = Date.parse('2025-01-21T14:30:00.000Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const CAROL = { id: 'U0CAROL', name: 'Carol Diaz', via: 'slack' as const };

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamo();
});

afterAll(async () => {
  await local.close();
});

const openers: [string, () => Promise<{ store: StorePort; close: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const temp = makeTempDir();
      const store = await openStoreFromSpec(`sqlite:${temp.dbPath}`);
      return {
        store,
        close: async () => {
          await store.close();
          temp.remove();
        },
      };
    },
  ],
  [
    'DynamoDB',
    async () => {
      const table = `fencing-${String(++tables).padStart(4, '0')}`;
      await local.createTable(table);
      const client = local.client();
      const store = new DynamoStore({ table, client });
      return {
        store,
        close: async () => {
          await store.close();
          client.destroy();
        },
      };
    },
  ],
];

function promoteRequest(id: string, action: 'CONTINUE' | 'ROLLBACK' = 'CONTINUE'): PromoteRequest {
  return {
    id,
    service: 'backend',
    changeId: 'dep_1',
    hookId: 'hook-1',
    action,
    requester: CAROL,
    createdAt: iso(0),
    expiresAt: iso(600),
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    slack: { channel: 'C0DEPLOYS', ts: '1700000000.000100' },
  };
}

describe.each(openers)('%s store', (_name, open) => {
  let store: StorePort;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close } = await open());
    await store.insertDeploy({ ...runningRecord('dep_1', 'backend', iso(0)), fence: 1 });
  });

  afterEach(async () => {
    await close();
  });

  describe('fenced writes', () => {
    it('writes phases while the token holds, and refuses a stale owner with stale_fence, changing nothing', async () => {
      await store.updateDeploy('dep_1', { digest: 'sha256:aa' }, { fence: 1 });
      // A takeover raises the token, conditional on the one it read.
      await store.updateDeploy('dep_1', { owner: 'replica-b', fence: 2 }, { fence: 1, running: true });

      await expect(store.updateDeploy('dep_1', { outcome: 'failed' }, { fence: 1 })).rejects.toMatchObject({
        code: 'stale_fence',
      });
      expect(await store.getDeploy('dep_1')).toMatchObject({
        outcome: 'running',
        owner: 'replica-b',
        fence: 2,
        digest: 'sha256:aa',
      });
    });

    it('lets exactly one of two processes raise the token it read', async () => {
      const raise = (owner: string) =>
        store.updateDeploy('dep_1', { owner, fence: 2 }, { fence: 1, running: true }).then(
          () => owner,
          (e: unknown) => e,
        );
      const answers = await Promise.all([raise('replica-a'), raise('replica-b')]);
      const winners = answers.filter((a) => typeof a === 'string');
      expect(winners).toHaveLength(1);
      expect(answers.find((a) => typeof a !== 'string')).toMatchObject({ code: 'stale_fence' });
      expect((await store.getDeploy('dep_1'))?.owner).toBe(winners[0]);
    });

    it('refuses to raise the token of a change that finished meanwhile', async () => {
      await store.updateDeploy('dep_1', { outcome: 'succeeded' }, { fence: 1 });
      await expect(
        store.updateDeploy('dep_1', { owner: 'replica-b', fence: 2 }, { fence: 1, running: true }),
      ).rejects.toMatchObject({ code: 'stale_fence' });
    });

    it('still tells a missing change apart: store_error', async () => {
      await expect(store.updateDeploy('dep_missing', { outcome: 'failed' }, { fence: 1 })).rejects.toMatchObject({
        code: 'store_error',
      });
    });

    it('saves the report only under the current token', async () => {
      await store.saveReport('dep_1', '# by replica A', 1);
      await store.updateDeploy('dep_1', { fence: 2 }, { fence: 1 });
      await store.saveReport('dep_1', '# by replica B', 2);

      await expect(store.saveReport('dep_1', '# stale, by replica A', 1)).rejects.toMatchObject({
        code: 'stale_fence',
      });
      expect(await store.getReport('dep_1')).toBe('# by replica B');
    });

    it('releases the lock only for the token that holds it', async () => {
      const lock = (owner: string, fence: number): LockInfo & { leaseExpiresAt: string } => ({
        service: 'backend',
        action: 'deploy',
        changeId: 'dep_1',
        actor: ALICE,
        owner,
        acquiredAt: iso(0),
        leaseExpiresAt: iso(30),
        fence,
      });
      expect(await store.acquireLock(lock('replica-a', 1), new Date(T0))).toEqual({ ok: true });
      // Replica B takes the lease over once it ran out: same change, a new token.
      const taken = await store.acquireLock(lock('replica-b', 2), new Date(T0 + 31_000));
      expect(taken).toMatchObject({ ok: true, tookOverFrom: { owner: 'replica-a', fence: 1 } });

      expect(await store.releaseLock('backend', 'dep_1', 1)).toBe(false);
      expect(await store.getLock('backend')).toMatchObject({ owner: 'replica-b', fence: 2 });
      expect(await store.releaseLock('backend', 'dep_1', 2)).toBe(true);
      expect(await store.getLock('backend')).toBeUndefined();
    });
  });

  describe('two-person answers to a pause', () => {
    it('records a first click once; a second insert of the same id writes nothing', async () => {
      expect(await store.insertPromoteRequest(promoteRequest('hook-1:CONTINUE'))).toBe(true);
      expect(await store.insertPromoteRequest({ ...promoteRequest('hook-1:CONTINUE'), requester: BOB })).toBe(false);
      expect(await store.getPromoteRequest('hook-1:CONTINUE')).toEqual(promoteRequest('hook-1:CONTINUE'));
    });

    it('refuses the same person, completes with a second one, and only once', async () => {
      await store.insertPromoteRequest(promoteRequest('hook-1:CONTINUE'));
      const now = new Date(T0 + 60_000);

      expect(await store.completePromoteRequest('hook-1:CONTINUE', CAROL, now)).toMatchObject({
        ok: false,
        reason: 'self_approval',
      });
      const done = await store.completePromoteRequest('hook-1:CONTINUE', BOB, now);
      expect(done).toMatchObject({ ok: true, request: { status: 'used', decidedBy: BOB } });
      expect(await store.completePromoteRequest('hook-1:CONTINUE', ALICE, now)).toMatchObject({
        ok: false,
        reason: 'already_decided',
      });
    });

    it('lets exactly one of many racing second clicks complete it', async () => {
      await store.insertPromoteRequest(promoteRequest('hook-1:CONTINUE'));
      const clickers = [BOB, ALICE, { id: 'U0DAVE', name: 'Dave', via: 'slack' as const }];
      const answers = await Promise.all(
        clickers.map((who) => store.completePromoteRequest('hook-1:CONTINUE', who, new Date(T0 + 1000))),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
    });

    it('refuses to complete a request after it expired with the hook', async () => {
      await store.insertPromoteRequest(promoteRequest('hook-1:CONTINUE'));
      expect(await store.completePromoteRequest('hook-1:CONTINUE', BOB, new Date(T0 + 600_000))).toMatchObject({
        ok: false,
        reason: 'expired',
      });
      expect(await store.completePromoteRequest('hook-1:unknown', BOB, new Date(T0))).toMatchObject({
        ok: false,
        reason: 'not_found',
      });
    });
  });
});
