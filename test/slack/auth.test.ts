import { parseConfig } from '../../src/config/load';
import { Authorizer, type GroupClient } from '../../src/slack/auth';

const yaml = `
region: us-east-1
slack: { groupCacheTtl: 1m }
access:
  deploy: [S0PLATFORM, UALICE]
  approve: []
services:
  backend: { cluster: c, service: s, container: c, ecrRepository: repo }
  payments:
    cluster: c
    service: p
    container: c
    ecrRepository: repo
    access: { deploy: [UBOB], read: [S0FINANCE] }
`;

/** Answers usergroups.users.list from a table, counting calls; can be told to fail. */
function groupClient(groups: Record<string, string[]>): {
  client: GroupClient;
  calls: () => number;
  fail: (on: boolean) => void;
} {
  let calls = 0;
  let failing = false;
  const client = {
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          calls += 1;
          if (failing) throw Object.assign(new Error('down'), { code: 'slack_webapi_request_error' });
          return { ok: true, users: groups[usergroup] ?? [] };
        },
      },
    },
  } as unknown as GroupClient;
  return { client, calls: () => calls, fail: (on) => (failing = on) };
}

describe('Authorizer', () => {
  const config = parseConfig(yaml);

  it('allows listed users and members of listed groups', async () => {
    const g = groupClient({ S0PLATFORM: ['UCARL'] });
    const auth = new Authorizer(config, g.client);
    expect(await auth.check('UALICE', 'deploy', 'backend')).toEqual({ allowed: true });
    expect(await auth.check('UCARL', 'deploy', 'backend')).toEqual({ allowed: true });
    expect(await auth.check('UDAVE', 'deploy', 'backend')).toEqual({
      allowed: false,
      reason: 'you are not allowed to deploy backend',
    });
  });

  it('lets a service list replace the global one', async () => {
    const auth = new Authorizer(config, groupClient({ S0PLATFORM: ['UCARL'] }).client);
    expect((await auth.check('UALICE', 'deploy', 'payments')).allowed).toBe(false);
    expect((await auth.check('UBOB', 'deploy', 'payments')).allowed).toBe(true);
  });

  it('lets everyone read without a list, and nobody change without one', async () => {
    const auth = new Authorizer(config, groupClient({}).client);
    expect((await auth.check('UANY', 'read', 'backend')).allowed).toBe(true);
    expect((await auth.check('UANY', 'read', 'payments')).allowed).toBe(false);
    expect(await auth.check('UALICE', 'restart', 'backend')).toEqual({
      allowed: false,
      reason:
        'nobody may restart backend from Slack: services.backend.access.restart or access.restart is not configured',
    });
    expect((await auth.check('UALICE', 'approve', 'backend')).allowed).toBe(false);
  });

  it('caches group membership for the TTL and shares concurrent lookups', async () => {
    let now = 1_000_000;
    const g = groupClient({ S0PLATFORM: ['UCARL'] });
    const auth = new Authorizer(config, g.client, undefined, () => now);
    await Promise.all([auth.check('UCARL', 'deploy', 'backend'), auth.check('UDAVE', 'deploy', 'backend')]);
    await auth.check('UCARL', 'deploy', 'backend');
    expect(g.calls()).toBe(1);
    now += 61_000;
    await auth.check('UCARL', 'deploy', 'backend');
    expect(g.calls()).toBe(2);
  });

  it('fails closed when Slack cannot answer and nothing is cached, and uses a recent answer otherwise', async () => {
    let now = 1_000_000;
    const g = groupClient({ S0PLATFORM: ['UCARL'] });
    const auth = new Authorizer(config, g.client, undefined, () => now);
    g.fail(true);
    const refused = await auth.check('UCARL', 'deploy', 'backend');
    expect(refused).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('could not check your group membership'),
    });
    g.fail(false);
    await auth.check('UCARL', 'deploy', 'backend');
    now += 120_000;
    g.fail(true);
    expect((await auth.check('UCARL', 'deploy', 'backend')).allowed).toBe(true);
  });
});
