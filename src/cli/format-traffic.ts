/** Terminal lines for a blue/green, linear or canary deployment: stage and traffic, the checks on test traffic, the pause. */
import type { EngineEvent } from '../engine/model';
import { describeTraffic } from '../engine/blue-green/progress';
import type { Style } from './format-common';

/** The events of a deployment that shifts traffic in steps or waits at a hook. */
export type TrafficEvent = Extract<EngineEvent, { type: 'traffic' | 'test_checks' | 'paused' | 'hook_answered' }>;

/** Lines for the blue/green events. */
export function formatTrafficEvent(event: TrafficEvent, style: Style): string[] {
  switch (event.type) {
    case 'traffic':
      return [`  ${style.dim('traffic')} ${describeTraffic(event.traffic)}`];
    case 'test_checks':
      return [`  ${event.passed ? style.green('✓') : style.red('✗')} checks on test traffic: ${event.reason}`];
    case 'paused': {
      const p = event.pause;
      const lines = [
        style.bold(
          `  ⏸ waiting at ${p.stage ?? 'a lifecycle hook'} (hook ${p.hookId}); production traffic is still on blue`,
        ),
        `    expires ${p.expiresAt ?? 'never'}; then ECS applies ${p.timeoutAction ?? 'the hook’s timeout action'}`,
      ];
      if (p.autoContinue) lines.push('    blueGreen.autoContinue: continuing by itself');
      else
        lines.push(
          `    shift production traffic:  ecs-chatops promote ${event.service}`,
          `    roll back instead:         ecs-chatops rollback ${event.service}`,
        );
      return lines;
    }
    case 'hook_answered':
      return [
        `  ▶ pause ${event.by === 'timeout' ? 'expired' : `answered by ${event.by}`}: ${event.action === 'CONTINUE' ? 'production traffic moves to green' : 'rolling back, production stays on blue'}`,
      ];
  }
}
