/** What the simulated tasks write to CloudWatch Logs. */
import { hex, logEventId } from './ids';
import type { SimLogGroup, SimService, SimState, SimTask } from './model';

/** Oldest events are dropped beyond this, so a long-running demo does not grow without bound. */
const MAX_EVENTS_PER_GROUP = 20_000;

const INFO_LINES = [
  'INFO GET /api/v1/health/live 200 2ms',
  'INFO GET /api/v1/health/ready 200 5ms',
  'INFO GET /api/v1/appointments?page=1 200 38ms',
  'INFO POST /api/v1/sessions 201 61ms',
  'INFO Cache hit ratio 0.93 over the last minute',
];

const ERROR_LINES = [
  "ERROR Unhandled error in GET /api/v1/appointments: TypeError: Cannot read properties of undefined (reading 'id')",
  'ERROR PrismaClientKnownRequestError: Invalid `prisma.appointment.findMany()` invocation: connection pool timeout',
  'ERROR Request failed: POST /api/v1/sessions 500 (upstream timed out after 3000ms)',
];

export function appendLog(group: SimLogGroup, stream: string, message: string, at = Date.now()): void {
  group.events.push({ eventId: logEventId(), timestamp: at, ingestionTime: at + 5, logStreamName: stream, message });
  if (group.events.length > MAX_EVENTS_PER_GROUP) group.events.splice(0, group.events.length - MAX_EVENTS_PER_GROUP);
}

function streamOf(service: SimService, task: SimTask): string {
  return `${service.container}/${service.container}/${task.id}`;
}

function groupOf(state: SimState, service: SimService): SimLogGroup | undefined {
  return state.logGroups.get(service.logGroup);
}

export function logTaskStarted(state: SimState, service: SimService, task: SimTask, sha: string | undefined): void {
  const group = groupOf(state, service);
  if (!group) return;
  const stream = streamOf(service, task);
  appendLog(group, stream, `INFO Starting ${service.name} (git ${sha ?? 'unknown'}) with NODE_ENV=production`);
  appendLog(group, stream, 'INFO Connected to database');
  appendLog(group, stream, 'INFO Server listening on port 3001');
}

export function logTaskCrashed(state: SimState, service: SimService, task: SimTask): void {
  const group = groupOf(state, service);
  if (!group) return;
  const stream = streamOf(service, task);
  appendLog(group, stream, 'ERROR Failed to start: Error: connect ECONNREFUSED 10.0.3.17:5432 (database unreachable)');
  appendLog(group, stream, 'ERROR Process exited with code 1');
}

/** One tick of a running task's life: a request line now and then, or a burst of errors when it is broken. */
export function logTaskTick(state: SimState, service: SimService, task: SimTask, errors: boolean): void {
  const group = groupOf(state, service);
  if (!group) return;
  const stream = streamOf(service, task);
  if (errors) {
    for (const line of ERROR_LINES) appendLog(group, stream, `${line} [req ${hex(8)}]`);
    return;
  }
  if (task.age % 4 === 1) appendLog(group, stream, INFO_LINES[(task.age >> 2) % INFO_LINES.length]);
}
