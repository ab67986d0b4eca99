import {
  parseDeploy,
  parseFreeze,
  parseLogs,
  parseRestart,
  parseRollback,
  parseStop,
  parseUnfreeze,
} from '../../src/slack/command-parse';

const services = ['backend', 'web'];

describe('command-parse', () => {
  it('accepts a deploy with flags in any order and lowercases the SHA', () => {
    expect(parseDeploy('--dry-run backend ABCDEF1234 --skip-smoke', services)).toEqual({
      kind: 'ok',
      args: { service: 'backend', sha: 'abcdef1234', skipSmoke: true, dryRun: true, force: false },
    });
  });

  it('reads `force` and `--force` on a deploy as asking to override a freeze', () => {
    for (const text of ['backend abc1234 force', 'backend abc1234 --force', 'FORCE backend abc1234'])
      expect(parseDeploy(text, services)).toMatchObject({ kind: 'ok', args: { force: true } });
  });

  it('parses /freeze with a service or all, a duration and a free-text reason', () => {
    expect(parseFreeze('backend 2h incident INC-42: db (primary) down', services)).toEqual({
      kind: 'ok',
      args: { scope: 'backend', durationMs: 7_200_000, reason: 'incident INC-42: db (primary) down' },
    });
    expect(parseFreeze('all 3d holiday week', services)).toMatchObject({ kind: 'ok', args: { scope: 'all' } });
    expect(parseUnfreeze('all', services)).toEqual({ kind: 'ok', args: { scope: 'all' } });
  });

  it.each([
    ['', /a service is required/],
    ['backend', /a duration from 1m to 30d/],
    ['backend 2x reason', /a duration from 1m to 30d/],
    ['backend 31d reason', /a duration from 1m to 30d/],
    ['backend 30s reason', /a duration from 1m to 30d/],
    ['backend 2h', /a reason is required/],
    ['bakend 2h reason', /unknown service/],
    ['back;end 2h reason', /not allowed/],
  ])('refuses freeze "%s"', (text, problem) => {
    const parsed = parseFreeze(text, services);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.problem).toMatch(problem);
  });

  it.each([
    ['backend abc123', /not a git SHA/],
    [`backend ${'a'.repeat(41)}`, /not a git SHA/],
    ['backend abc1234 --yolo', /unknown option --yolo/],
    ['backend abc1234 extra', /too many arguments/],
    ['Backend abc1234', /unknown service/],
    ['backend abc1234 | sh', /not allowed/],
    ['backend abc1234 `id`', /not allowed/],
    ['backend\u0000 abc1234', /control or bidirectional characters \(U\+0000\)/],
  ])('refuses deploy %j', (text, problem) => {
    const parsed = parseDeploy(text, services);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.problem).toMatch(problem);
  });

  it('answers help', () => {
    expect(parseDeploy(' help ', services)).toEqual({ kind: 'help' });
  });

  it('tells revisions from SHAs for rollback', () => {
    expect(parseRollback('backend 41', services)).toMatchObject({
      args: { target: { kind: 'revision', revision: '41' } },
    });
    expect(parseRollback('backend backend:41', services)).toMatchObject({
      args: { target: { kind: 'revision', revision: 'backend:41' } },
    });
    expect(parseRollback('backend abc1234', services)).toMatchObject({
      args: { target: { kind: 'sha', sha: 'abc1234' } },
    });
    expect(parseRollback('backend', services)).toMatchObject({ args: { target: null } });
    expect(parseRollback('backend latest', services).kind).toBe('usage');
  });

  it('reads the logs window and the rest as the pattern', () => {
    expect(parseLogs('backend 2h ?ERROR ?Exception', services)).toEqual({
      kind: 'ok',
      args: { service: 'backend', sinceMs: 7_200_000, pattern: '?ERROR ?Exception' },
    });
    expect(parseLogs('backend', services)).toEqual({
      kind: 'ok',
      args: { service: 'backend', sinceMs: undefined, pattern: undefined },
    });
    expect(parseLogs('backend 25h', services).kind).toBe('usage');
  });

  it('keeps punctuation in a stop reason but bounds it', () => {
    expect(parseStop('backend DB down; stop & page', services)).toEqual({
      kind: 'ok',
      args: { service: 'backend', reason: 'DB down; stop & page' },
    });
    expect(parseStop(`backend ${'x'.repeat(301)}`, services).kind).toBe('usage');
    expect(parseStop('backend;x reason', services).kind).toBe('usage');
  });

  it('accepts restart counts from 1 to 500 only', () => {
    expect(parseRestart('backend 3', services)).toEqual({ kind: 'ok', args: { service: 'backend', count: 3 } });
    for (const bad of ['0', '501', '2.5', 'two']) expect(parseRestart(`backend ${bad}`, services).kind).toBe('usage');
  });
});
