/** Talks to a simulator running in another process, through its `/_sim/*` routes. */
import type { SimCall } from './calls';
import type { SimKnobs } from './model';

async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`simulator ${what} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/**
 * Every AWS call the simulator at `endpoint` has seen.
 * @throws Error when the simulator cannot be reached or answers an error.
 */
export async function fetchSimCalls(endpoint: string): Promise<SimCall[]> {
  const body = (await readJson(await fetch(new URL('/_sim/calls', endpoint)), 'calls')) as { calls: SimCall[] };
  return body.calls;
}

/**
 * Switches the scenario of the simulator at `endpoint`.
 * @throws Error for an unknown scenario or an unreachable simulator.
 */
export async function setSimScenario(endpoint: string, name: string): Promise<void> {
  const response = await fetch(new URL('/_sim/scenario', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  await readJson(response, 'scenario');
}

async function postJson(endpoint: string, path: string, body: unknown, what: string): Promise<unknown> {
  const response = await fetch(new URL(path, endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readJson(response, what);
}

/**
 * Turns knobs of the simulator at `endpoint` (for example `{ serviceDeploymentsApi: 'denied' }`).
 * @throws Error for a bad knob value or an unreachable simulator.
 */
export async function setSimKnobs(endpoint: string, knobs: Partial<SimKnobs>): Promise<SimKnobs> {
  return (await postJson(endpoint, '/_sim/knobs', knobs, 'knobs')) as SimKnobs;
}
