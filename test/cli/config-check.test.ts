import { join } from 'node:path';
import { GOOD_CONFIG, RecordingAws, run, tempDir } from './helpers';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'ecs-chatops.yml');

describe('CLI: config check', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('prints each parsed service with its AWS names, URL and timeouts, and exits 0', async () => {
    // Prepare
    const config = tmp.file('good.yml', GOOD_CONFIG);

    // Act
    const out = await run(['config', 'check', '--config', config]);

    // Assess
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 service');
    expect(out.stdout).toMatch(/cluster:\s+prod/);
    expect(out.stdout).toMatch(/service:\s+backend-svc/);
    expect(out.stdout).toMatch(/container:\s+backend/);
    expect(out.stdout).toMatch(/repository:\s+backend/);
    expect(out.stdout).toMatch(/target group:\s+arn:aws:elasticloadbalancing:.*backend-tg/);
    expect(out.stdout).toMatch(/log group:\s+\/ecs\/backend-prod/);
    expect(out.stdout).toMatch(/base URL:\s+https:\/\/api\.example\.com/);
    expect(out.stdout).toMatch(/timeouts:\s+stabilize 15m00s, target health 5m00s/);
  });

  it('says which phase a service without target group, log group or base URL will skip', async () => {
    const config = tmp.file(
      'bare.yml',
      'region: us-east-1\nservices:\n  api:\n    cluster: c\n    service: s\n    container: app\n    ecrRepository: api\n',
    );
    const out = await run(['config', 'check', '--config', config]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('(none: target health skipped)');
    expect(out.stdout).toContain('(none: smoke tests skipped)');
  });

  it('exits 2 listing every problem by its key', async () => {
    // Prepare: cluster missing, a bad duration and an unknown key.
    const broken = GOOD_CONFIG.replace('    cluster: prod\n', '').replace(
      '    baseUrl: https://api.example.com\n',
      '    baseUrl: https://api.example.com\n    timeouts: { stabilize: soon }\n    colour: blue\n',
    );
    const config = tmp.file('broken.yml', broken);

    // Act
    const out = await run(['config', 'check', '--config', config]);

    // Assess
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('services.backend.cluster: required');
    expect(out.stderr).toContain('services.backend.timeouts.stabilize: not a duration');
    expect(out.stderr).toMatch(/services\.backend: unknown key: colour/);
    expect(out.stdout).toBe('');
  });

  it('exits 2 on a URL that is not https and a service named __proto__, naming each key', async () => {
    const unsafe = GOOD_CONFIG.replace('    baseUrl: https://api.example.com\n', '    baseUrl: file:///etc/passwd\n');
    const out = await run(['config', 'check', '--config', tmp.file('unsafe-url.yml', unsafe)]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('services.backend.baseUrl: must be https');

    const proto = GOOD_CONFIG.replace('  backend:\n', '  __proto__:\n');
    const named = await run(['config', 'check', '--config', tmp.file('proto.yml', proto)]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('services.__proto__: not allowed as a key');
  });

  it('gives the problems as a list with --json', async () => {
    const config = tmp.file('broken2.yml', GOOD_CONFIG.replace('    cluster: prod\n', ''));
    const out = await run(['config', 'check', '--json', '--config', config]);
    expect(out.code).toBe(2);
    expect(JSON.parse(out.stdout)).toMatchObject({
      ok: false,
      outcome: 'invalid',
      exitCode: 2,
      error: { code: 'invalid_config', issues: ['services.backend.cluster: required'] },
    });
  });

  it('exits 2 naming the file when it does not exist', async () => {
    const out = await run(['config', 'check', '--config', join(tmp.dir, 'missing.yml')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/config file not found: .*missing\.yml/);
  });

  it('reads the config from ECS_CHATOPS_CONFIG when --config is not given', async () => {
    const config = tmp.file('from-env.yml', GOOD_CONFIG);
    const out = await run(['config', 'check', '--json'], { env: { ECS_CHATOPS_CONFIG: config } });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
      error: null,
      configPath: config,
      services: [{ name: 'backend', cluster: 'prod' }],
    });
  });

  it('accepts the example config shipped in examples/', async () => {
    const out = await run(['config', 'check', '--config', EXAMPLE]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/cluster:\s+mentalspace-ehr-prod/);
    expect(out.stdout).toMatch(/log group:\s+\/ecs\/mentalspace-backend-prod/);
    expect(out.stdout).toMatch(/base URL:\s+https:\/\/api\.mentalspaceehr\.com/);
  });

  it('with --aws checks each resource read-only and exits 2 listing what it could not find', async () => {
    // Prepare: an endpoint that refuses every request.
    const aws = new RecordingAws();
    const endpoint = await aws.start();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '1',
    });
    const config = tmp.file('aws.yml', GOOD_CONFIG);
    try {
      // Act
      const out = await run(['config', 'check', '--aws', '--config', config]);

      // Assess
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/AWS resource problems?:/);
      expect(out.stderr).toMatch(/services\.backend: ECS cluster prod/);
      expect(out.stdout).toMatch(/✗ ECS cluster prod/);
      const operations = aws.requests.map((r) => r.target.split('.').pop() || /Action=(\w+)/.exec(r.body)?.[1] || '?');
      expect(operations.length).toBeGreaterThan(0);
      for (const op of operations) expect(op).toMatch(/^(Describe|List|Get|BatchGet)/);
    } finally {
      process.env = saved;
      await aws.stop();
    }
  });
});
