/**
 * A blue/green deployment waiting at a PAUSE hook: the checks on test traffic, when the pause
 * expires (a Slack date, with a UTC fallback), what ECS does then, and the two buttons
 * **Shift production traffic** (`promote`) and **Roll back** (`rollback_paused`). Pure.
 */
import type { PauseInfo, TrafficProgress } from '../../engine/model';
import { actions, button, context, message, sanitise, section, type SlackBlock, type SlackMessage } from './blocks';
import { slackDate } from './format';

/** The buttons' value: which change and which hook the person saw (checked again at click time). */
export function pauseButtonValue(service: string, changeId: string, hookId: string): string {
  return JSON.stringify({ s: service, c: changeId, h: hookId });
}

export function parsePauseButtonValue(value: string): { service: string; changeId: string; hookId: string } | null {
  try {
    const v = JSON.parse(value) as { s?: unknown; c?: unknown; h?: unknown };
    return typeof v.s === 'string' && typeof v.c === 'string' && typeof v.h === 'string'
      ? { service: v.s, changeId: v.c, hookId: v.h }
      : null;
  } catch {
    // Not JSON, or JSON that is not an object: a forged or stale value, refused by the caller.
    return null;
  }
}

const TIMEOUT_TEXT = {
  ROLLBACK: 'ECS rolls back (production stays on blue)',
  CONTINUE: 'ECS shifts production traffic to green by itself',
} as const;

/** The lines about a pause, for the thread reply and the parent message alike. */
export function pauseLines(pause: PauseInfo): string[] {
  const checks = `${pause.passed ? ':white_check_mark: Test traffic checks passed' : ':x: Test traffic checks failed'}: ${sanitise(pause.checks, 300)}`;
  const timeout = pause.timeoutAction ? TIMEOUT_TEXT[pause.timeoutAction] : 'ECS applies the hook’s timeout action';
  const expires =
    pause.expiresAt && !Number.isNaN(Date.parse(pause.expiresAt)) ? slackDate(pause.expiresAt) : 'no expiry given';
  return [checks, `Expires ${expires}; then ${timeout}.`];
}

export function pauseButtons(service: string, changeId: string, pause: PauseInfo): SlackBlock {
  const value = pauseButtonValue(service, changeId, pause.hookId);
  return actions(`pause:${changeId}`, [
    button({
      text: 'Shift production traffic',
      actionId: 'promote',
      value,
      style: 'primary',
      confirm: {
        title: `Shift ${service} to green?`,
        text: 'Production traffic moves to the new release; ecs-chatops keeps watching through the bake.',
        confirm: 'Shift traffic',
      },
    }),
    button({
      text: 'Roll back',
      actionId: 'rollback_paused',
      value,
      style: 'danger',
      confirm: {
        title: `Roll ${service} back?`,
        text: 'Green is dropped; production never leaves blue.',
        confirm: 'Roll back',
      },
    }),
  ]);
}

/** The thread reply posted when our deployment reaches the pause. */
export function pauseView(service: string, changeId: string, pause: PauseInfo): SlackMessage {
  const title = pause.autoContinue
    ? `:pause_button: ${service} reached the pause at ${pause.stage ?? 'a lifecycle hook'}; blueGreen.autoContinue answers it`
    : `:pause_button: ${service} waits at ${pause.stage ?? 'a lifecycle hook'}: green has test traffic, production is still on blue`;
  const blocks = [section(`*${title}*`), section(pauseLines(pause).join('\n'))];
  if (!pause.autoContinue && pause.passed)
    blocks.push(pauseButtons(service, changeId, pause), context(['Only people in `access.promote` may press these.']));
  return message(title, blocks);
}

/** "Production 25% green · 75% blue · BAKE_TIME · bake 42s left", for the parent's progress line. */
export function trafficText(t: TrafficProgress): string {
  const parts: string[] = [];
  if (t.production !== null) parts.push(`production ${t.production}% green / ${100 - t.production}% blue`);
  if (t.test !== null && !t.production) parts.push(`test traffic ${t.test}% green`);
  parts.push(`stage ${t.stage ?? t.status}`);
  if (t.bakeLeftMs !== null) parts.push(`bake ${Math.ceil(t.bakeLeftMs / 1000)}s left`);
  return parts.join(' · ');
}
