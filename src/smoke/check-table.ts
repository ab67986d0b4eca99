import type { SmokeCheckName } from '../config/schema';
import type { CheckSeverity } from '../engine/types';
import type { SmokeCheck } from './check-types';
import { checkLiveness, checkReadiness, checkResponseTime, checkRoot, checkVersion } from './checks-endpoints';
import { checkAuth, checkCors, checkErrorFormat, checkHttps, checkSecurityHeaders } from './checks-security';

/**
 * The ten smoke checks, in the order results are shown. Default severities (each can be
 * overridden per service with `smoke.severity`):
 *
 * | check            | default | why                                                          |
 * | ---------------- | ------- | ------------------------------------------------------------ |
 * | version          | fail    | the wrong build is running                                   |
 * | liveness         | fail    | the process is not answering                                 |
 * | readiness        | fail    | it cannot serve (database down); retried during warm-up      |
 * | https            | fail    | plain HTTP serving data is a security hole                   |
 * | auth             | fail    | data reachable without credentials (403 shows as warn)       |
 * | cors             | warn    | a browser client breaks, the API itself works                |
 * | security_headers | fail    | the guide requires Helmet's headers                          |
 * | response_time    | warn    | slow is worth seeing, not worth a rollback by default        |
 * | error_format     | fail    | stack traces or PHI in error bodies                          |
 * | root             | fail    | the base address does not answer                             |
 */
export const SMOKE_CHECKS: readonly SmokeCheck[] = [
  { name: 'version', title: 'Version endpoint', defaultSeverity: 'fail', run: checkVersion },
  { name: 'liveness', title: 'Liveness', defaultSeverity: 'fail', run: checkLiveness },
  { name: 'readiness', title: 'Readiness', defaultSeverity: 'fail', run: checkReadiness },
  { name: 'https', title: 'HTTPS enforcement', defaultSeverity: 'fail', run: checkHttps },
  { name: 'auth', title: 'Authentication required', defaultSeverity: 'fail', run: checkAuth },
  { name: 'cors', title: 'CORS headers', defaultSeverity: 'warn', run: checkCors },
  { name: 'security_headers', title: 'Security headers', defaultSeverity: 'fail', run: checkSecurityHeaders },
  { name: 'response_time', title: 'Response time', defaultSeverity: 'warn', run: checkResponseTime },
  { name: 'error_format', title: 'Error bodies', defaultSeverity: 'fail', run: checkErrorFormat },
  { name: 'root', title: 'Root endpoint', defaultSeverity: 'fail', run: checkRoot },
];

/** The severity a check runs with: the service's override, else the check's default. */
export function severityOf(
  check: SmokeCheck,
  overrides: Partial<Record<SmokeCheckName, CheckSeverity>>,
): CheckSeverity {
  return overrides[check.name] ?? check.defaultSeverity;
}
