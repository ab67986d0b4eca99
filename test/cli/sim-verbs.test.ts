import { loadEntry } from '../../src/cli/sim-verbs';
import { isCodedError } from '../../src/errors';
import { run, tempDir } from './helpers';

describe('CLI: demo and sim verbs', () => {
  it('says cleanly that a verb is unavailable when its module is missing from the build', async () => {
    const error = await loadEntry('../sim/not-in-this-build', 'runDemo', 'demo').catch((e: unknown) => e);
    expect(isCodedError(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toBe('demo is not available in this build (the simulator is missing)');
  });

  it('finds an exported entry point relative to the CLI folder', async () => {
    const entry = await loadEntry('./validate', 'checkSha', 'x');
    expect(typeof entry).toBe('function');
  });
});

describe('CLI: demo', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('runs the demo (a healthy deploy, then a rolled-back one) and exits 0', async () => {
    const out = await run(['demo', '--pace', '20'], { env: { TMPDIR: tmp.dir } });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('✓ Deploy succeeded');
    expect(out.stderr).toContain('previous release was restored');
  });

  it('seeds weeks of history with --scenario stats and shows the delivery metrics', async () => {
    const out = await run(['demo', '--scenario', 'stats'], { env: { TMPDIR: tmp.dir } });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/\d+ changes over 8 weeks seeded/);
    expect(out.stdout).toContain('Delivery metrics: 3 services, last 8 weeks');
    expect(out.stdout).toMatch(/Delivery metrics: [a-z-]+, last 8 weeks/);
    expect(out.stdout).toMatch(/Lead time for changes +[\d.]+ (h|days) +\w+/);
  });

  it('refuses a pace that is not a number with exit 2', async () => {
    const out = await run(['demo', '--pace', 'fast']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--pace must be a whole number');
  });
});
