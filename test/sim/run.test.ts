import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig } from '../../src/config/load';
import { main } from '../../src/main';
import { runSim } from '../../src/sim/run';

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('Simulator: the sim and demo entry points', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-sim-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sim: writes a valid config, prints how to use the world, and stops when told', async () => {
    const stdout = new Capture();
    const stop = new AbortController();
    const running = runSim({ workDir: dir, stdout, signal: stop.signal, paceMs: 10 });
    while (!stdout.text.includes('Ctrl+C')) await new Promise((r) => setTimeout(r, 5));
    const endpoint = /AWS endpoint +(\S+)/.exec(stdout.text)![1];
    expect(stdout.text).toContain(`export AWS_ENDPOINT_URL=${endpoint}`);
    expect(stdout.text).toContain(`export ECS_CHATOPS_CONFIG=${join(dir, 'ecs-chatops.yml')}`);
    expect(stdout.text).toContain('circuit-breaker');
    parseConfig(readFileSync(join(dir, 'ecs-chatops.yml'), 'utf8'));
    expect((await fetch(`${endpoint}/_sim/scenario`)).status).toBe(200);
    stop.abort();
    expect(await running).toBe(0);
    await expect(fetch(`${endpoint}/_sim/scenario`)).rejects.toThrow();
  });

  it('demo (through the CLI verb): a healthy deploy exits 0, a circuit-breaker deploy exits 1 after the rollback', async () => {
    const run = async (scenario: string) => {
      const stdout = new Capture();
      const stderr = new Capture();
      // The demo keeps its files in a folder under TMPDIR: ours, removed after the test.
      const code = await main(['demo', '--pace', '5', '--scenario', scenario], {
        stdout,
        stderr,
        env: { TMPDIR: dir },
      });
      return { code, stderr: stderr.text };
    };
    const healthy = await run('healthy');
    expect(healthy.stderr).toContain('ecs-chatops demo: a simulated AWS world');
    expect(healthy.stderr).toContain('(removed when the demo ends)');
    expect(healthy.code).toBe(0);
    const failing = await run('circuit-breaker');
    expect(failing.code).toBe(1);
    // Its folder under TMPDIR is gone once it ends, whether the deploy succeeded or failed.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sim: removes the folder of the config it generated when it stops', async () => {
    const stdout = new Capture();
    const stop = new AbortController();
    const running = runSim({ stdout, signal: stop.signal, paceMs: 10 });
    while (!stdout.text.includes('Ctrl+C')) await new Promise((r) => setTimeout(r, 5));
    const configPath = /export ECS_CHATOPS_CONFIG=(\S+)/.exec(stdout.text)![1];
    expect(existsSync(configPath)).toBe(true);
    stop.abort();
    expect(await running).toBe(0);
    expect(existsSync(dirname(configPath))).toBe(false);
  });

  it('demo without a scenario shows a healthy deploy, then a rolled-back one, and exits 0 when both behaved so', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['demo', '--pace', '5'], { stdout, stderr, env: { TMPDIR: dir } });
    expect(code).toBe(0);
    expect(stderr.text).toContain('✓ Deploy succeeded');
    expect(stderr.text).toContain('ROLLING BACK');
    expect(stderr.text).toContain('first deploy exit 0 (succeeded), second exit 1');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('demo rejects an unknown scenario as bad input (exit 2) before starting anything', async () => {
    const stderr = new Capture();
    const code = await main(['demo', '--scenario', 'nope'], { stdout: new Capture(), stderr, env: { TMPDIR: dir } });
    expect(code).toBe(2);
    expect(stderr.text).toContain('unknown scenario "nope"');
  });
});
