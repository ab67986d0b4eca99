/** The record of every AWS call that reached the simulator. */
import type { AwsService } from './faults';

export interface SimCall {
  /** When the call arrived (epoch ms). */
  at: number;
  service: AwsService;
  /** The API operation (`DescribeServices`, `DescribeTargetHealth`, …). */
  operation: string;
  /** The request's parameters as parsed from the wire (JSON body, or the Query form unflattened). */
  params: Record<string, unknown>;
  /** The HTTP status the simulator answered (0 while the call is still being answered). */
  status: number;
}

/** Keeps the newest calls; a long-running demo polls for hours. */
const MAX_CALLS = 50_000;

export class CallLog {
  private calls: SimCall[] = [];

  record(call: SimCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  list(): SimCall[] {
    return this.calls.map((c) => ({ ...c }));
  }

  clear(): void {
    this.calls = [];
  }
}
