/**
 * One racer of the two-process lock test: its own DynamoDB client and store on the shared
 * table. On `acquire` it tries to take the service's lock with several changes at once and
 * answers how many it won; on `release` it releases what it holds.
 */
import { DynamoStore } from '../../src/store/dynamo-store';
import { localClient } from './local-dynamo';

type Command = { type: 'acquire'; round: number; now: string } | { type: 'release' } | { type: 'exit' };

const [endpoint, table, name] = process.argv.slice(2);
const client = localClient(endpoint);
const store = new DynamoStore({ table, client });
const ACTOR = { id: `ci:${name}`, name, via: 'ci' as const };
const ATTEMPTS_PER_ROUND = 2;
let held: string | null = null;

async function handle(command: Command): Promise<unknown> {
  if (command.type === 'acquire') {
    const now = new Date(command.now);
    const lease = new Date(now.getTime() + 30_000).toISOString();
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS_PER_ROUND }, (_, i) =>
        store.acquireLock(
          {
            service: 'backend',
            action: 'deploy',
            changeId: `r${command.round}-${name}-${i}`,
            actor: ACTOR,
            owner: name,
            acquiredAt: command.now,
            leaseExpiresAt: lease,
          },
          now,
        ),
      ),
    );
    const won = results.flatMap((r, i) => (r.ok ? [`r${command.round}-${name}-${i}`] : []));
    held = won[0] ?? null;
    return { won: won.length };
  }
  if (command.type === 'release') return { released: held !== null && (await store.releaseLock('backend', held)) };
  await store.close();
  client.destroy();
  process.exit(0);
}

process.on('message', (command: Command) => {
  handle(command).then(
    (answer) => process.send?.(answer),
    (e: unknown) => process.send?.({ error: String(e) }),
  );
});
process.send?.({ ready: true });
