/** `locks` (list) and `locks break <service>` (remove a stale lock). */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { LockInfo } from '../engine/model';
import type { CliContext } from './context';
import { alignTable, formatTimestamp } from './format-common';
import { checkToken } from './validate';
import { answer, verbAction } from './verb';

export function formatLocks(locks: LockInfo[]): string[] {
  if (locks.length === 0) return ['no service is locked'];
  const rows = locks.map((l) => [
    l.service,
    l.action,
    l.actor.name,
    formatTimestamp(l.acquiredAt),
    l.owner,
    l.changeId,
  ]);
  return alignTable([['SERVICE', 'ACTION', 'BY', 'SINCE', 'OWNER', 'CHANGE'], ...rows]);
}

export function registerLocks(program: Command, ctx: CliContext): void {
  const listAction = verbAction(ctx, async (_args, _options, cmd) => {
    const { engine } = await ctx.runtime(cmd);
    const locks = (await Promise.all(engine.services.map((s) => engine.getLock(s.name)))).filter((l): l is LockInfo =>
      Boolean(l),
    );
    return answer({ locks }, formatLocks(locks));
  });
  const locks = program
    .command('locks')
    .description('list the services locked by a change in progress')
    .action(listAction);
  locks.command('list').description('list the services locked by a change in progress').action(listAction);
  locks
    .command('break')
    .description("remove a service's lock (only when the process holding it is gone)")
    .argument('<service>', 'service name from the config')
    .option('--force', 'break it even when its process may still run (another host, or a process you know is stuck)')
    .action(
      verbAction(
        ctx,
        async ([service], options, cmd) => {
          checkToken('service', service);
          getService(ctx.config(cmd), service);
          const { engine } = await ctx.runtime(cmd);
          const removed = (await engine.breakLock(service, ctx.actor(), { force: Boolean(options.force) })) ?? null;
          const line = removed
            ? `removed the lock on ${service}: ${removed.action} by ${removed.actor.name} since ${formatTimestamp(removed.acquiredAt)} (${removed.owner})`
            : `${service} was not locked`;
          return answer({ service, removed }, [line]);
        },
        true,
      ),
    );
}
