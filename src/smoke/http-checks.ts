import type { NamedService } from '../config/schema';
import type { HttpChecksPort } from '../engine/ports';
import type { SmokeRun, VersionInfo } from '../engine/types';
import type { Logger } from '../logger';
import { isSuccess, outcomeOfError, parseJsonBody } from './check-types';
import { boundedRequest, createSmokeAgent, loadExtraCas } from './http-client';
import { runSmokeChecks } from './runner';
import { readVersionFields } from './version-match';

export interface HttpChecksOptions {
  logger?: Logger;
  /** Where NODE_EXTRA_CA_CERTS is read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The HTTP side of the engine: smoke runs and version reads over undici. Neither method throws. */
export function createHttpChecks(options: HttpChecksOptions = {}): HttpChecksPort {
  return {
    runSmoke: (service, { expectSha, signal, traffic }): Promise<SmokeRun> => {
      const target = traffic === 'test' ? testTraffic(service) : { service, headers: undefined };
      return runSmokeChecks(target.service, {
        expectSha,
        signal,
        env: options.env,
        logger: options.logger,
        headers: target.headers,
      });
    },
    fetchVersion: (service) => fetchVersion(service, options.env),
  };
}

/** The service as the test listener serves it: `smoke.testBaseUrl`, or `baseUrl` with `smoke.testHeader`. */
function testTraffic(service: NamedService): { service: NamedService; headers: Record<string, string> | undefined } {
  const { testBaseUrl, testHeader } = service.smoke;
  return {
    service: testBaseUrl ? { ...service, baseUrl: testBaseUrl } : service,
    headers: testHeader ? { [testHeader.name]: testHeader.value } : undefined,
  };
}

/** Reads the service's version endpoint. Never throws: failures come back in `error`. */
export async function fetchVersion(service: NamedService, env: NodeJS.ProcessEnv = process.env): Promise<VersionInfo> {
  if (!service.baseUrl) return { url: '', error: 'no baseUrl configured' };
  const { versionPath, versionField, checkTimeout, caFile } = service.smoke;
  const url = `${service.baseUrl.replace(/\/+$/, '')}${versionPath}`;
  let agent: ReturnType<typeof createSmokeAgent> | undefined;
  try {
    agent = createSmokeAgent({ extraCa: await loadExtraCas(caFile, env), timeoutMs: checkTimeout });
    const res = await boundedRequest(agent, url, { timeoutMs: checkTimeout });
    if (!isSuccess(res.status)) return { url, status: res.status, error: `HTTP ${res.status}` };
    return { url, status: res.status, ...readVersionFields(parseJsonBody(res, 'version'), versionField) };
  } catch (e) {
    return { url, error: outcomeOfError(e).reason };
  } finally {
    await agent?.destroy().catch(() => undefined);
  }
}
