import { openStore } from '../../src/store';
import type { LockInfo } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { ALICE, CLI_CAROL } from '../report/fixtures';
import { makeTempDir, type TempDir } from './temp-db';

const NOW = new Date('2025-01-21T14:30:30.000Z');

const BOT_LOCK: LockInfo & { leaseExpiresAt: string } = {
  service: 'backend',
  action: 'deploy',
  changeId: 'dep_bot_1',
  actor: ALICE,
  owner: 'bot-host:100',
  acquiredAt: '2025-01-21T14:30:22.000Z',
  leaseExpiresAt: '2025-01-21T14:30:52.000Z',
};

const CLI_LOCK: LockInfo & { leaseExpiresAt: string } = {
  service: 'backend',
  action: 'rollback',
  changeId: 'dep_cli_1',
  actor: CLI_CAROL,
  owner: 'laptop:200',
  acquiredAt: '2025-01-21T14:30:23.000Z',
  leaseExpiresAt: '2025-01-21T14:30:53.000Z',
};

describe('Class: SqliteStore, locks shared by two processes', () => {
  let temp: TempDir;
  let bot: StorePort;
  let cli: StorePort;

  beforeEach(async () => {
    // Two connections on one file, as the bot and a terminal would have.
    temp = makeTempDir();
    bot = openStore(temp.dbPath);
    cli = openStore(temp.dbPath);
  });

  afterEach(async () => {
    await bot.close();
    await cli.close();
    temp.remove();
  });

  it('lets only one of them take the service lock, and tells the other who holds it', async () => {
    // Act
    const first = await bot.acquireLock(BOT_LOCK, NOW);
    const second = await cli.acquireLock(CLI_LOCK, NOW);

    // Assess
    expect(first).toEqual({ ok: true });
    expect(second).toEqual({ ok: false, holder: BOT_LOCK });
    if (!second.ok) {
      expect(second.holder.owner).toBe('bot-host:100');
      expect(second.holder.action).toBe('deploy');
      expect(second.holder.acquiredAt).toBe('2025-01-21T14:30:22.000Z');
    }
    expect(await cli.getLock('backend')).toEqual(BOT_LOCK);
  });

  it('treats a second acquire by the same change and owner as already held, and refuses another owner', async () => {
    // Prepare
    await bot.acquireLock(BOT_LOCK, NOW);

    // Act
    const again = await cli.acquireLock({ ...BOT_LOCK, leaseExpiresAt: '2025-01-21T14:31:00.000Z' }, NOW);
    const stranger = await cli.acquireLock({ ...BOT_LOCK, owner: 'bot-host:101' }, NOW);

    // Assess
    expect(again).toEqual({ ok: true });
    expect(stranger).toMatchObject({ ok: false, holder: { owner: 'bot-host:100' } });
    expect(await bot.getLock('backend')).toMatchObject({
      owner: 'bot-host:100',
      leaseExpiresAt: '2025-01-21T14:31:00.000Z',
    });
  });

  it('lets another process take over only once the lease has expired, exactly once', async () => {
    // Prepare: the bot took the lock and stopped renewing it
    await bot.acquireLock(BOT_LOCK, NOW);
    const afterLease = new Date(Date.parse(BOT_LOCK.leaseExpiresAt) + 1);

    // Act
    const early = await cli.acquireLock(CLI_LOCK, NOW);
    const [one, two] = await Promise.all([
      cli.acquireLock({ ...CLI_LOCK, leaseExpiresAt: '2025-01-21T14:31:30.000Z' }, afterLease),
      bot.acquireLock(
        { ...CLI_LOCK, changeId: 'dep_bot_2', owner: 'bot-host:102', leaseExpiresAt: '2025-01-21T14:31:30.000Z' },
        afterLease,
      ),
    ]);

    // Assess
    expect(early).toMatchObject({ ok: false });
    expect(one).toEqual({ ok: true, tookOverFrom: BOT_LOCK });
    expect(two).toMatchObject({ ok: false, holder: { changeId: 'dep_cli_1' } });
  });

  it('renews a lease only for the change and owner that hold the lock', async () => {
    // Prepare
    await bot.acquireLock(BOT_LOCK, NOW);

    // Act
    const renewed = await bot.renewLease('backend', 'dep_bot_1', 'bot-host:100', '2025-01-21T14:32:00.000Z');
    const stolen = await cli.renewLease('backend', 'dep_bot_1', 'laptop:200', '2025-01-21T15:00:00.000Z');

    // Assess
    expect(renewed).toBe(true);
    expect(stolen).toBe(false);
    expect((await cli.getLock('backend'))?.leaseExpiresAt).toBe('2025-01-21T14:32:00.000Z');
  });

  it('keeps locks of different services apart', async () => {
    // Act
    await bot.acquireLock(BOT_LOCK, NOW);
    const other = await cli.acquireLock({ ...CLI_LOCK, service: 'frontend' }, NOW);

    // Assess
    expect(other).toEqual({ ok: true });
    expect((await bot.listLocks()).map((l) => l.service)).toEqual(['backend', 'frontend']);
  });

  it('releases only for the change that holds the lock', async () => {
    // Prepare
    await bot.acquireLock(BOT_LOCK, NOW);

    // Act
    const wrongRelease = await cli.releaseLock('backend', 'dep_cli_1');
    const stillHeld = await cli.getLock('backend');
    const rightRelease = await bot.releaseLock('backend', 'dep_bot_1');

    // Assess
    expect(wrongRelease).toBe(false);
    expect(stillHeld?.changeId).toBe('dep_bot_1');
    expect(rightRelease).toBe(true);
    expect(await cli.getLock('backend')).toBeUndefined();
    expect(await cli.acquireLock(CLI_LOCK, NOW)).toEqual({ ok: true });
  });

  it('breaks a lock whoever holds it and returns what it removed', async () => {
    // Prepare
    await bot.acquireLock(BOT_LOCK, NOW);

    // Act
    const removed = await cli.breakLock('backend');
    const removedAgain = await cli.breakLock('backend');

    // Assess
    expect(removed).toEqual(BOT_LOCK);
    expect(removedAgain).toBeUndefined();
    expect(await bot.releaseLock('backend', 'dep_bot_1')).toBe(false);
    expect(await cli.acquireLock(CLI_LOCK, NOW)).toEqual({ ok: true });
  });
});
