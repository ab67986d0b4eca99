import { parseConfig } from '../../src/config/load';
import { configWith, issuesOf } from './helpers';

describe('Config: defaults of the store, blue/green and stuck-rollout keys', () => {
  it('uses the SQLite file in ./data, no automatic blue/green continue and the two-poll no-progress rule when nothing is said', () => {
    const config = parseConfig(configWith());
    expect(config.store).toEqual({ kind: 'sqlite', path: './data/ecs-chatops.db' });
    expect(config.services.backend.blueGreen).toEqual({ autoContinue: false });
    expect(config.services.backend.timeouts.noProgress).toBeUndefined();
    expect(config.services.backend.smoke.testBaseUrl).toBeUndefined();
    expect(config.services.backend.smoke.testHeader).toBeUndefined();
    expect(config.access.promote).toBeUndefined();
  });
});

describe('Config: store', () => {
  it('takes a SQLite path', () => {
    expect(parseConfig(configWith([], ['store: { kind: sqlite, path: /data/bot.db }'])).store).toEqual({
      kind: 'sqlite',
      path: '/data/bot.db',
    });
  });

  it('takes a DynamoDB table with an optional region', () => {
    const config = parseConfig(
      configWith([], ['store:', '  kind: dynamodb', '  table: ecs-chatops', '  region: eu-west-1']),
    );
    expect(config.store).toEqual({ kind: 'dynamodb', table: 'ecs-chatops', region: 'eu-west-1' });
  });

  it('names what is wrong with a store: a missing table, an unknown kind, a stray key', () => {
    expect(issuesOf(configWith([], ['store: { kind: dynamodb }']))).toEqual(['store.table: required']);
    expect(issuesOf(configWith([], ['store: { kind: redis }']))[0]).toMatch(/^store\.kind: /);
    expect(issuesOf(configWith([], ['store: { kind: sqlite, table: x }']))).toEqual(['store: unknown key: table']);
  });
});

describe('Config: promotion and blue/green', () => {
  it('reads who may promote, like the other access lists, globally and per service', () => {
    const config = parseConfig(
      configWith(
        ['access: { promote: [U0CAROL] }', 'blueGreen: { autoContinue: true }'],
        ['access: { promote: [S0LEADS] }'],
      ),
    );
    expect(config.access.promote).toEqual(['S0LEADS']);
    expect(config.services.backend.access?.promote).toEqual(['U0CAROL']);
    expect(config.services.backend.blueGreen.autoContinue).toBe(true);
  });

  it('refuses a promote entry that is not a Slack ID and a non-boolean autoContinue', () => {
    const issues = issuesOf(configWith(['blueGreen: { autoContinue: "yes" }'], ['access: { promote: [carol] }']));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^access\.promote\.0: must be a Slack user ID/),
        expect.stringMatching(/^services\.backend\.blueGreen\.autoContinue: /),
      ]),
    );
  });
});

describe('Config: test traffic and the no-progress timeout', () => {
  it('reads a test listener URL, a test header and a no-progress duration', () => {
    const service = parseConfig(
      configWith([
        'smoke:',
        '  testBaseUrl: https://test.api.example.com:8443',
        '  testHeader: { name: X-Test-Traffic, value: "1" }',
        'timeouts: { noProgress: 2m }',
      ]),
    ).services.backend;
    expect(service.smoke.testBaseUrl).toBe('https://test.api.example.com:8443');
    expect(service.smoke.testHeader).toEqual({ name: 'X-Test-Traffic', value: '1' });
    expect(service.timeouts.noProgress).toBe(120_000);
  });

  it('refuses a plain-http test URL, a header that could split a request, and a noProgress that is not a duration', () => {
    const issues = issuesOf(
      configWith([
        'smoke:',
        '  testBaseUrl: http://test.api.example.com',
        '  testHeader: { name: "X-Test: 1\\r\\nHost", value: "a\\r\\nb" }',
        'timeouts: { noProgress: soon }',
      ]),
    );
    expect(issues.sort()).toEqual([
      'services.backend.smoke.testBaseUrl: must be https',
      'services.backend.smoke.testHeader.name: must be an HTTP header name',
      'services.backend.smoke.testHeader.value: must be one line',
      'services.backend.timeouts.noProgress: not a duration: "soon" (use e.g. 500ms, 90s, 15m, 1h)',
    ]);
  });
});
