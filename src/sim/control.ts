/**
 * `/_sim/*` routes on the fake AWS endpoint, so that a process other than the one that started
 * the world (a CLI child, a terminal user) can inspect its calls and switch its scenario.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCall } from './calls';
import type { SimKnobs } from './model';
import { SCENARIOS } from './scenarios';

export interface SimControl {
  calls(): SimCall[];
  clearCalls(): void;
  scenario(): string;
  /** @throws Error for an unknown scenario. */
  setScenario(name: string): void;
  knobs(): SimKnobs;
  /** @throws Error for a bad knob value. */
  setKnobs(knobs: Partial<SimKnobs>): void;
  /** @throws Error for a negative or non-numeric amount. */
  advanceClock(ms: number): void;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function setScenarioFromBody(control: SimControl, res: ServerResponse, body: string): void {
  let name: unknown;
  try {
    name = (JSON.parse(body) as { name?: unknown }).name;
  } catch {
    json(res, 400, { error: 'body must be JSON: {"name": "<scenario>"}' });
    return;
  }
  try {
    control.setScenario(String(name));
  } catch (e) {
    json(res, 400, { error: (e as Error).message });
    return;
  }
  json(res, 200, { name: control.scenario() });
}

/** Applies a JSON body with `apply`, answering 400 with the error's message when the body or the value is bad. */
function applyJson(res: ServerResponse, body: string, apply: (value: Record<string, unknown>) => unknown): void {
  let value: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    value = parsed as Record<string, unknown>;
  } catch {
    json(res, 400, { error: 'body must be a JSON object' });
    return;
  }
  try {
    json(res, 200, apply(value));
  } catch (e) {
    json(res, 400, { error: (e as Error).message });
  }
}

export function handleControl(control: SimControl, req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = (req.url ?? '').split('?')[0];
  const route = `${req.method ?? ''} ${path}`;
  switch (route) {
    case 'GET /_sim/calls': {
      json(res, 200, { calls: control.calls() });
      return;
    }
    case 'DELETE /_sim/calls':
      control.clearCalls();
      {
        json(res, 200, { cleared: true });
        return;
      }
    case 'GET /_sim/scenario': {
      json(res, 200, { name: control.scenario(), scenarios: SCENARIOS });
      return;
    }
    case 'POST /_sim/scenario': {
      setScenarioFromBody(control, res, body);
      return;
    }
    case 'GET /_sim/knobs': {
      json(res, 200, control.knobs());
      return;
    }
    case 'POST /_sim/knobs': {
      applyJson(res, body, (knobs) => {
        control.setKnobs(knobs);
        return control.knobs();
      });
      return;
    }
    case 'POST /_sim/clock': {
      applyJson(res, body, (value) => {
        control.advanceClock(Number(value.advanceMs));
        return { advancedMs: Number(value.advanceMs) };
      });
      return;
    }
    default: {
      json(res, 404, { error: `no such simulator route: ${route.slice(0, 80)}` });
      return;
    }
  }
}
