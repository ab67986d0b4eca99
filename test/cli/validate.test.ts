import {
  checkSha,
  checkText,
  parseInteger,
  parseRollbackTarget,
  parseSince,
  parseWaitForLock,
} from '../../src/cli/validate';

describe('CLI validation', () => {
  it('reads a rollback target as a revision or a git SHA', () => {
    expect(parseRollbackTarget(undefined)).toEqual({ kind: 'previous' });
    expect(parseRollbackTarget('42')).toEqual({ kind: 'revision', revision: '42' });
    expect(parseRollbackTarget('backend-prod:41')).toEqual({ kind: 'revision', revision: 'backend-prod:41' });
    expect(parseRollbackTarget('arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:41')).toEqual({
      kind: 'revision',
      revision: 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:41',
    });
    expect(parseRollbackTarget('ABC1234')).toEqual({ kind: 'sha', sha: 'abc1234' });
    expect(() => parseRollbackTarget('latest')).toThrow(/--to must be a revision/);
  });

  it('lower-cases a SHA and refuses anything but 7 to 40 hex characters', () => {
    expect(checkSha('ABCDEF1')).toBe('abcdef1');
    expect(() => checkSha('abcdef')).toThrow(/7 to 40 hex/);
    expect(() => checkSha('abc1234|sh')).toThrow(/shell metacharacter \(\|\)/);
  });

  it('allows spaces in free text but not control characters or huge values', () => {
    expect(checkText('--reason', '  database is on fire ')).toBe('database is on fire');
    expect(() => checkText('--reason', 'a\u001b[2Jb')).toThrow(/control character/);
    expect(() => checkText('--reason', 'x'.repeat(501))).toThrow(/too long \(501 characters; at most 500\)/);
  });

  it('bounds counts, limits and log windows', () => {
    expect(parseInteger('--count', '3', 1, 1000)).toBe(3);
    expect(() => parseInteger('--count', '0', 1, 1000)).toThrow(/from 1 to 1000/);
    expect(() => parseInteger('--count', '1e3', 1, 1000)).toThrow(/whole number/);
    expect(parseSince('30m')).toBe(1_800_000);
    expect(() => parseSince('30d')).toThrow(/--since must be a duration/);
    expect(() => parseSince('400h')).toThrow(/at most 14 days/);
  });

  it('bounds the wait for a lock to a day, and checks it as a token like the other options', () => {
    expect(parseWaitForLock(undefined)).toBeUndefined();
    expect(parseWaitForLock('10m')).toBe(600_000);
    expect(parseWaitForLock('0')).toBe(0);
    expect(parseWaitForLock('24h')).toBe(86_400_000);
    expect(() => parseWaitForLock('25h')).toThrow(/--wait-for-lock must be a duration up to 24h/);
    expect(() => parseWaitForLock('soon')).toThrow(/--wait-for-lock must be a duration/);
    expect(() => parseWaitForLock('10m;id')).toThrow(/--wait-for-lock contains a shell metacharacter/);
  });
});
