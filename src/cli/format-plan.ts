/** `deploy --dry-run` as text: the image, its digest, from → to revision, the diff and the commits it ships. Pure. */
import type { DeployChanges } from '../engine/changes';
import type { DryRunPlan } from '../engine/model';
import { shortTaskDefinition } from '../engine/validate';
import { alignTable, createStyle, type Style } from './format-common';
import { formatChanges } from './format-changes';

const PLAIN = createStyle(false);

export function formatPlan(
  service: string,
  sha: string,
  plan: DryRunPlan,
  style: Style = PLAIN,
  changes: DeployChanges | null = null,
): string[] {
  return [
    style.bold(`dry run: deploy ${service} ${sha} (nothing was changed)`),
    ...alignTable([
      ['image:', plan.image],
      ['digest:', plan.digest],
      ['revision:', `${shortTaskDefinition(plan.fromTaskDefinition)} → ${shortTaskDefinition(plan.toTaskDefinition)}`],
    ]),
    'task-definition diff:',
    ...(plan.diff.length
      ? plan.diff.map((line) => `  ${line}`)
      : ['  (no difference: the service already runs this image)']),
    ...(changes ? formatChanges(changes, 20, style) : []),
  ];
}
