/** The pipeline in `status`: each environment's SHA, digest and verification, and how far the last lags. */
import type { Pipeline } from '../engine/promotion/model';
import { shortDigest } from '../engine/validate';
import { alignTable, formatTimestamp, type Style } from './format-common';

export function formatPipeline(pipeline: Pipeline, style: Style): string[] {
  const rows = pipeline.stages.map((s) => [
    `  ${s.service}`,
    s.sha ? s.sha.slice(0, 7) : 'sha ?',
    `digest ${shortDigest(s.digest)}`,
    s.verified
      ? `verified ${formatTimestamp(s.verified.at)} by ${s.verified.by.name}`
      : style.yellow('not verified by ecs-chatops'),
  ]);
  const [before, last] = pipeline.stages.slice(-2);
  const lag =
    pipeline.behindBy === null
      ? `unknown (${pipeline.behindUnknown ?? 'GitHub unavailable'})`
      : `${pipeline.behindBy} commit${pipeline.behindBy === 1 ? '' : 's'}`;
  return ['pipeline:', ...alignTable(rows), `  ${last.service} is behind ${before.service} by ${lag}`];
}
