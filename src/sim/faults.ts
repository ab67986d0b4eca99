/** AWS-level misbehaviour for the `throttling`, `server-errors` and `slow` scenarios (and the 500 of `outage`). */
import type { ScenarioName } from './scenarios';
import { AwsError } from './wire';

export type AwsService = 'ecs' | 'ecr' | 'logs' | 'elbv2';

export interface Fault {
  delayMs: number;
  error?: AwsError;
}

/** Every Nth call of these operations is throttled (the retry that follows goes through). */
const THROTTLE_EVERY: Record<string, number> = { DescribeServices: 3, DescribeTargetHealth: 4, FilterLogEvents: 3 };

function throttle(service: AwsService): AwsError {
  // ELBv2 (Query protocol) calls it `Throttling`; the JSON services `ThrottlingException`.
  return new AwsError(service === 'elbv2' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded', 400);
}

/** A 5xx in the service's own shape: `ServerException` (ECS, ECR), `InternalFailure` (ELBv2), `ServiceUnavailableException` (Logs); or a 503. */
export function serverError(service: AwsService, status: 500 | 503): AwsError {
  if (status === 503)
    return new AwsError(
      service === 'elbv2' ? 'ServiceUnavailable' : 'ServiceUnavailableException',
      'Service is unavailable. Please try again later.',
      503,
    );
  const code =
    service === 'elbv2' ? 'InternalFailure' : service === 'logs' ? 'ServiceUnavailableException' : 'ServerException';
  return new AwsError(code, 'We encountered an internal error. Please try again.', 500);
}

/** Decides, call by call, whether AWS is slow, throttles or fails. Counters are per injector (per world). */
export class FaultInjector {
  private readonly perOperation = new Map<string, number>();
  private serverCalls = 0;
  private burstLeft = 0;

  constructor(private readonly slowMs: number) {}

  decide(scenario: ScenarioName, service: AwsService, operation: string): Fault {
    if (scenario === 'slow') return { delayMs: this.slowMs };
    if (scenario === 'throttling') return { delayMs: 0, error: this.throttled(service, operation) };
    if (scenario === 'server-errors') return { delayMs: 0, error: this.failed(service) };
    return { delayMs: 0 };
  }

  private throttled(service: AwsService, operation: string): AwsError | undefined {
    const every = THROTTLE_EVERY[operation];
    if (!every) return undefined;
    const n = (this.perOperation.get(operation) ?? 0) + 1;
    this.perOperation.set(operation, n);
    return n % every === 0 ? throttle(service) : undefined;
  }

  /** Every 4th call starts a burst: a 500, then a 503 for the next call, then calls go through again. */
  private failed(service: AwsService): AwsError | undefined {
    if (this.burstLeft > 0) {
      this.burstLeft -= 1;
      return serverError(service, 503);
    }
    this.serverCalls += 1;
    if (this.serverCalls % 4 !== 0) return undefined;
    this.burstLeft = 1;
    return serverError(service, 500);
  }
}
