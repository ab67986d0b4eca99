/** `config check` as text: each parsed service and its settings. Pure. */
import type { ResourceCheck } from '../aws/index';
import { formatDuration } from '../config/duration';
import type { FreezeWindowConfig, NamedService } from '../config/schema';
import { windowCovers } from '../engine/freeze/windows';
import { alignTable, createStyle, type Style } from './format-common';

const PLAIN = createStyle(false);

const orSkipped = (value: string | undefined, phase: string) => value ?? `(none: ${phase} skipped)`;

/** The windows covering `service`: `weekend (Fri 16:00 → Mon 08:00 America/New_York)`. */
function freezeWindowsOf(service: string, windows: readonly FreezeWindowConfig[]): string {
  const covering = windows.filter((w) => windowCovers(w, service));
  return covering.map((w) => `${w.name} (${w.start} → ${w.end} ${w.timeZone})`).join(', ') || 'none';
}

export function formatService(
  service: NamedService,
  style: Style = PLAIN,
  windows: readonly FreezeWindowConfig[] = [],
): string[] {
  const t = service.timeouts;
  const rows = [
    ['region:', service.region],
    ['cluster:', service.cluster],
    ['service:', service.service],
    ['container:', service.container],
    ['repository:', service.ecrRepository],
    ['target group:', orSkipped(service.targetGroupArn, 'target health')],
    ['log group:', orSkipped(service.logGroup, 'log scan')],
    ['base URL:', orSkipped(service.baseUrl, 'smoke tests')],
    [
      'timeouts:',
      `stabilize ${formatDuration(t.stabilize)}, target health ${formatDuration(t.targetHealth)}, approval ${formatDuration(t.approval)}, poll ${formatDuration(t.poll)}`,
    ],
    ['approval for:', service.requireApproval.length ? service.requireApproval.join(', ') : 'none'],
    ['freeze windows:', freezeWindowsOf(service.name, windows)],
    ...(service.promotesFrom
      ? [['promotes from:', `${service.promotesFrom} (require ${service.promotion.require})`]]
      : []),
  ];
  return [style.bold(service.name), ...alignTable(rows).map((l) => `  ${l}`)];
}

/**
 * Result of a read-only AWS check, as `✓ ecs service mentalspace-backend  ACTIVE`. A warning is
 * marked `!`: not a problem, the tool works with less (the detail says how).
 */
export function formatResourceCheck(check: ResourceCheck, style: Style = PLAIN): string {
  if (check.warning) return `    ${style.yellow('!')} ${check.resource} ${check.name}  ${check.detail}`;
  const mark = check.ok ? style.green('✓') : style.red('✗');
  return `    ${mark} ${check.resource} ${check.name}${check.detail ? `  ${check.detail}` : ''}`;
}
