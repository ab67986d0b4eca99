import { parseRollback } from '../../src/slack/command-parse';
import { parseRollbackTarget as parseCliTarget } from '../../src/cli/validate';
import { EXPECTED_PHASES, parseRollbackTarget, parseSha, PHASE_TITLES, shaMatches } from '../../src/engine/release-ref';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:41';

describe('shaMatches', () => {
  it('matches a short SHA with its full form either way, ignoring case, and nothing else', () => {
    const full = '4174f4ddd9e4c0ffee0000000000000000000000';
    expect(shaMatches('4174F4D', full)).toBe(true);
    expect(shaMatches(full, '4174f4d')).toBe(true);
    expect(shaMatches('4174f4e', full)).toBe(false);
    expect(shaMatches('4174', full)).toBe(false);
    expect(shaMatches(null, full)).toBe(false);
  });
});

describe('parseSha', () => {
  it('lower-cases 7 to 40 hex characters and refuses anything else', () => {
    expect(parseSha('ABC1234')).toBe('abc1234');
    expect(parseSha('abc123')).toBeNull();
    expect(parseSha('a'.repeat(41))).toBeNull();
    expect(parseSha(undefined)).toBeNull();
  });
});

describe('parseRollbackTarget', () => {
  it.each([
    ['42', { kind: 'revision', revision: '42' }],
    ['backend-prod:41', { kind: 'revision', revision: 'backend-prod:41' }],
    [ARN, { kind: 'revision', revision: ARN }],
    ['ABC1234', { kind: 'sha', sha: 'abc1234' }],
  ])('reads %s the same way in the engine, the terminal and Slack', (text, expected) => {
    expect(parseRollbackTarget(text)).toEqual(expected);
    expect(parseCliTarget(text)).toEqual(expected);
    expect(parseRollback(`backend ${text}`, ['backend'])).toEqual({
      kind: 'ok',
      args: { service: 'backend', target: expected },
    });
  });

  it('refuses what is neither a revision nor a SHA, everywhere', () => {
    expect(parseRollbackTarget('latest')).toBeNull();
    expect(() => parseCliTarget('latest')).toThrow(/--to must be a revision/);
    expect(parseRollback('backend latest', ['backend'])).toMatchObject({ kind: 'usage' });
  });
});

describe('phases', () => {
  it('gives every expected phase a heading and a short word', () => {
    for (const phases of Object.values(EXPECTED_PHASES)) {
      for (const phase of phases)
        expect(PHASE_TITLES[phase]).toEqual({ heading: expect.any(String), short: expect.any(String) });
    }
  });
});
