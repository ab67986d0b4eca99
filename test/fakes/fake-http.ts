import type { NamedService } from '../../src/config/schema';
import type { HttpChecksPort } from '../../src/engine/ports';
import type { SmokeResult, SmokeRun, VersionInfo } from '../../src/engine/types';
import type { FakeAwsWorld } from './fake-aws';

/**
 * Smoke checks against the fake world: the version check compares the SHA the world runs
 * with the expected one; `failing` makes named checks fail with their severity.
 */
export class FakeHttpChecks implements HttpChecksPort {
  readonly runs: { service: string; expectSha?: string; traffic?: 'test' }[] = [];
  failing = new Map<string, { severity: 'fail' | 'warn'; reason: string }>();
  /** Checks that fail on test traffic only (a blue/green green that is bad). */
  failingOnTest = new Map<string, { severity: 'fail' | 'warn'; reason: string }>();
  /** Overrides what the version endpoint reports. */
  reportedSha: string | null = null;

  constructor(private readonly world: FakeAwsWorld) {}

  async runSmoke(service: NamedService, o: { expectSha?: string; traffic?: 'production' | 'test' }): Promise<SmokeRun> {
    const traffic = o.traffic ?? 'production';
    this.runs.push({ service: service.name, expectSha: o.expectSha, ...(traffic === 'test' ? { traffic } : {}) });
    // Test traffic reaches green, the release being deployed.
    const running = traffic === 'test' ? (o.expectSha ?? '') : (this.reportedSha ?? this.world.runningSha() ?? '');
    const versionOk =
      !o.expectSha ||
      running.toLowerCase().startsWith(o.expectSha.toLowerCase()) ||
      o.expectSha.toLowerCase().startsWith(running.toLowerCase());
    const results: SmokeResult[] = [
      {
        name: 'version',
        title: 'Version endpoint',
        severity: 'fail',
        status: versionOk ? 'pass' : 'fail',
        ms: 12,
        reason: versionOk
          ? `gitSha ${running.slice(0, 7)}`
          : `expected ${o.expectSha?.slice(0, 7) ?? '(none)'}, got ${running.slice(0, 7)}`,
      },
      { name: 'liveness', title: 'Liveness', severity: 'fail', status: 'pass', ms: 5, reason: '200' },
    ];
    for (const [name, f] of traffic === 'test' ? this.failingOnTest : this.failing) {
      const r = results.find((x) => x.name === name) ?? {
        name,
        title: name,
        severity: f.severity,
        status: 'pass' as const,
        ms: 3,
        reason: '',
      };
      Object.assign(r, { severity: f.severity, status: f.severity, reason: f.reason });
      if (!results.includes(r)) results.push(r);
    }
    const passed = !results.some((r) => r.severity === 'fail' && (r.status === 'fail' || r.status === 'error'));
    return { results, passed, ms: 20 };
  }

  async fetchVersion(service: NamedService): Promise<VersionInfo> {
    return {
      url: `${service.baseUrl ?? ''}/api/v1/version`,
      gitSha: this.reportedSha ?? this.world.runningSha() ?? undefined,
      status: 200,
    };
  }
}
