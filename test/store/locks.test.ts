import { openStore } from '../../src/store';
import type { LockInfo } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { ALICE, CLI_CAROL } from '../report/fixtures';
import { makeTempDir, type TempDir } from './temp-db';

const BOT_LOCK: LockInfo = {
  service: 'backend',
  action: 'deploy',
  changeId: 'dep_bot_1',
  actor: ALICE,
  owner: 'bot-host:100',
  acquiredAt: '2025-01-21T14:30:22.000Z',
};

const CLI_LOCK: LockInfo = {
  service: 'backend',
  action: 'rollback',
  changeId: 'dep_cli_1',
  actor: CLI_CAROL,
  owner: 'laptop:200',
  acquiredAt: '2025-01-21T14:30:23.000Z',
};

describe('Class: SqliteStore, locks shared by two processes', () => {
  let temp: TempDir;
  let bot: StorePort;
  let cli: StorePort;

  beforeEach(() => {
    // Two connections on one file, as the bot and a terminal would have.
    temp = makeTempDir();
    bot = openStore(temp.dbPath);
    cli = openStore(temp.dbPath);
  });

  afterEach(() => {
    bot.close();
    cli.close();
    temp.remove();
  });

  it('lets only one of them take the service lock, and tells the other who holds it', () => {
    // Act
    const first = bot.acquireLock(BOT_LOCK);
    const second = cli.acquireLock(CLI_LOCK);

    // Assess
    expect(first).toEqual({ ok: true });
    expect(second).toEqual({ ok: false, holder: BOT_LOCK });
    if (!second.ok) {
      expect(second.holder.owner).toBe('bot-host:100');
      expect(second.holder.action).toBe('deploy');
      expect(second.holder.acquiredAt).toBe('2025-01-21T14:30:22.000Z');
    }
    expect(cli.getLock('backend')).toEqual(BOT_LOCK);
  });

  it('treats a second acquire by the same change as already held', () => {
    // Prepare
    bot.acquireLock(BOT_LOCK);

    // Act
    const again = cli.acquireLock({ ...BOT_LOCK, owner: 'bot-host:101' });

    // Assess
    expect(again).toEqual({ ok: true });
    expect(bot.getLock('backend')?.owner).toBe('bot-host:100');
  });

  it('keeps locks of different services apart', () => {
    // Act
    bot.acquireLock(BOT_LOCK);
    const other = cli.acquireLock({ ...CLI_LOCK, service: 'frontend' });

    // Assess
    expect(other).toEqual({ ok: true });
    expect(bot.listLocks().map((l) => l.service)).toEqual(['backend', 'frontend']);
  });

  it('releases only for the change that holds the lock', () => {
    // Prepare
    bot.acquireLock(BOT_LOCK);

    // Act
    const wrongRelease = cli.releaseLock('backend', 'dep_cli_1');
    const stillHeld = cli.getLock('backend');
    const rightRelease = bot.releaseLock('backend', 'dep_bot_1');

    // Assess
    expect(wrongRelease).toBe(false);
    expect(stillHeld?.changeId).toBe('dep_bot_1');
    expect(rightRelease).toBe(true);
    expect(cli.getLock('backend')).toBeUndefined();
    expect(cli.acquireLock(CLI_LOCK)).toEqual({ ok: true });
  });

  it('breaks a lock whoever holds it and returns what it removed', () => {
    // Prepare
    bot.acquireLock(BOT_LOCK);

    // Act
    const removed = cli.breakLock('backend');
    const removedAgain = cli.breakLock('backend');

    // Assess
    expect(removed).toEqual(BOT_LOCK);
    expect(removedAgain).toBeUndefined();
    expect(bot.releaseLock('backend', 'dep_bot_1')).toBe(false);
    expect(cli.acquireLock(CLI_LOCK)).toEqual({ ok: true });
  });
});
