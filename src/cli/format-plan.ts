/** `deploy --dry-run` as text: the image, its digest, from → to revision and the diff. Pure. */
import type { DryRunPlan } from '../engine/model';
import { shortTaskDefinition } from '../engine/validate';
import { alignTable, createStyle, type Style } from './format-common';

const PLAIN = createStyle(false);

export function formatPlan(service: string, sha: string, plan: DryRunPlan, style: Style = PLAIN): string[] {
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
  ];
}
