import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GOOD_CONFIG, RecordingAws, run, tempDir } from './helpers';

const SDK_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_MAX_ATTEMPTS: '1',
};

describe('CLI: bad input', () => {
  const aws = new RecordingAws();
  const tmp = tempDir();
  const saved = { ...process.env };
  let env: NodeJS.ProcessEnv;
  let config: string;
  let db: string;

  beforeAll(async () => {
    const endpoint = await aws.start();
    // The AWS SDK reads its endpoint from the process environment.
    Object.assign(process.env, SDK_ENV, { AWS_ENDPOINT_URL: endpoint });
    config = tmp.file('ecs-chatops.yml', GOOD_CONFIG);
    db = join(tmp.dir, 'data', 'cli.db');
    env = { ...SDK_ENV, AWS_ENDPOINT_URL: endpoint, ECS_CHATOPS_DB: db };
  });

  afterAll(async () => {
    process.env = saved;
    await aws.stop();
    tmp.cleanup();
  });

  beforeEach(() => {
    aws.requests.length = 0;
  });

  const HUGE = 'a'.repeat(10 * 1024);

  const cases: [string, string[], RegExp][] = [
    ['an unknown service', ['deploy', 'frontend', 'abc1234'], /unknown service "frontend" \(configured: backend\)/],
    ['a SHA with non-hex characters', ['deploy', 'backend', 'xyz1234'], /sha must be 7 to 40 hex characters/],
    ['a SHA shorter than 7', ['deploy', 'backend', 'abc12'], /sha must be 7 to 40 hex characters/],
    ['a SHA longer than 40', ['deploy', 'backend', 'a'.repeat(41)], /sha must be 7 to 40 hex characters/],
    [
      'a command separator in the SHA',
      ['deploy', 'backend', 'abc1234;rm -rf /'],
      /sha contains a shell metacharacter \(;\)/,
    ],
    ['command substitution in the SHA', ['deploy', 'backend', '$(id)'], /sha contains a shell metacharacter \(\$\)/],
    ['backticks in the SHA', ['deploy', 'backend', '`id`'], /sha contains a shell metacharacter \(`\)/],
    [
      'a metacharacter in the service',
      ['deploy', 'backend&&id', 'abc1234'],
      /service contains a shell metacharacter \(&\)/,
    ],
    ['whitespace in the SHA', ['deploy', 'backend', 'abc 1234'], /sha contains whitespace/],
    ['an empty SHA', ['deploy', 'backend', ''], /sha is empty/],
    ['an empty service', ['deploy', '', 'abc1234'], /service is empty/],
    ['a 10 KB SHA', ['deploy', 'backend', HUGE], /sha is too long \(10240 characters; at most 200\)/],
    ['a 10 KB service', ['status', HUGE], /service is too long \(10240 characters/],
    ['an unknown option', ['deploy', 'backend', 'abc1234', '--bogus'], /unknown option '--bogus'/],
    ['a missing argument', ['deploy', 'backend'], /missing required argument 'sha'/],
    [
      'a SHA and --from',
      ['deploy', 'backend', 'abc1234', '--from', 'staging'],
      /give a git SHA or --from staging, not both/,
    ],
    [
      'a promotion dry run',
      ['deploy', 'backend', '--from', 'staging', '--dry-run'],
      /--dry-run does not apply to --from/,
    ],
    ['an unknown command', ['deplyo', 'backend', 'abc1234'], /unknown command 'deplyo'/],
    ['a bad rollback target', ['rollback', 'backend', '--to', 'latest;id'], /--to contains a shell metacharacter/],
    ['a stop without a reason', ['stop', 'backend', '--yes'], /required option '--reason <text>' not specified/],
    ['a stop without --yes off a terminal', ['stop', 'backend', '--reason', 'db melting'], /pass --yes to confirm/],
    [
      'a restart count that is not a number',
      ['restart', 'backend', '--count', 'two', '--yes'],
      /--count must be a whole number/,
    ],
    ['a log window that is not a duration', ['logs', 'backend', '--since', 'forever'], /--since must be a duration/],
    [
      'a bad --expect-sha',
      ['smoke', 'backend', '--expect-sha', 'nothex!'],
      /--expect-sha contains a shell metacharacter/,
    ],
    [
      'a malformed Slack channel',
      ['deploy', 'backend', 'abc1234', '--notify-slack', 'general chat'],
      /--notify-slack must be a Slack channel/,
    ],
    [
      '--notify-slack without a token',
      ['deploy', 'backend', 'abc1234', '--notify-slack', 'C0DEPLOYS'],
      /needs SLACK_BOT_TOKEN/,
    ],
  ];

  it.each(cases)('refuses %s with exit 2, a message, and no AWS call', async (_name, argv, message) => {
    // Act
    const out = await run(['--config', config, ...argv], { env });

    // Assess
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.length).toBeLessThan(1000); // a 10 KB argument is never echoed back
    expect(aws.requests).toEqual([]);
    expect(existsSync(db)).toBe(false); // not even the store was opened
  });

  it('prints a one-line usage hint for commander errors', async () => {
    const out = await run(['--config', config, 'deploy', 'backend'], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('usage: ecs-chatops deploy [options] <service> [sha]');
    expect(out.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('accepts --config after the verb as well as before it', async () => {
    const out = await run(['deploy', 'frontend', 'abc1234', '--config', config], { env });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown service "frontend"/);
  });

  it('answers --json for an invalid deploy with the full result shape and nothing else on stdout', async () => {
    // Act
    const out = await run(['deploy', 'backend', '$(id)', '--json', '--config', config], { env });

    // Assess
    expect(out.code).toBe(2);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({
      ok: false,
      outcome: 'invalid',
      exitCode: 2,
      kind: 'deploy',
      service: 'backend',
      deployId: null,
      digest: null,
      phases: [],
      reportPath: null,
      error: { code: 'invalid_input' },
    });
    expect(result.error.message).toMatch(/shell metacharacter/);
    expect(aws.requests).toEqual([]);
  });

  it('answers --json for a commander error with ok, outcome, exitCode and error', async () => {
    const out = await run(['--json', 'deploy', 'backend', 'abc1234', '--bogus'], { env });
    expect(out.code).toBe(2);
    expect(JSON.parse(out.stdout)).toMatchObject({
      ok: false,
      outcome: 'invalid',
      exitCode: 2,
      error: { code: 'invalid_input' },
    });
  });

  it('exits 0 for --help, and 2 with the help on stderr when no verb is given', async () => {
    const help = await run(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ecs-chatops');

    const none = await run([], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: ecs-chatops');
  });

  it('does reach the recording endpoint for a valid read (so the checks above can fail)', async () => {
    // Act
    const out = await run(['--config', config, 'status', 'backend'], { env });

    // Assess: the endpoint refuses everything, so the read fails, but it was made.
    expect(aws.requests.length).toBeGreaterThan(0);
    expect(aws.requests[0].target).toMatch(/DescribeServices/);
    expect(out.code).not.toBe(0);
  });
});
