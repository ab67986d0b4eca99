/** Promotion in Slack: the note a deploy's parent message carries, and a service's pipeline. */
import type { Pipeline } from '../../engine/promotion/model';
import type { PromotionCheck } from '../../engine/promotion/model';
import { sanitise } from './blocks';
import { actorText, digestPrefix, shortSha, slackDate } from './format';

const ICONS: Record<PromotionCheck['verdict'], string> = {
  ok: ':white_check_mark:',
  warned: ':warning:',
  overridden: ':rotating_light:',
  silent: '',
};

/** "promoting abc1234 (digest …), verified on backend-staging 2 hours ago by alice", with an icon; mrkdwn. */
export function promotionNote(check: PromotionCheck): string {
  const approved = check.approvedBy ? ` (override approved by ${actorText(check.approvedBy)})` : '';
  let text = sanitise(check.message, 500);
  // The verifier as Slack names them (a mention of a Slack user), not the plain name the engine wrote.
  const by = check.verified?.by;
  if (by) text = text.replace(` by ${sanitise(by.name, 100)}`, ` by ${actorText(by)}`);
  return `${ICONS[check.verdict]} ${text}${approved}`.trim();
}

/** The pipeline as lines: each environment's SHA, digest and verification, and how far the last lags. */
export function pipelineLines(pipeline: Pipeline): string[] {
  const stages = pipeline.stages.map((s) => {
    const verified = s.verified
      ? `verified ${slackDate(s.verified.at)} by ${actorText(s.verified.by)}`
      : 'not verified by ecs-chatops';
    return `• *${s.service}* \`${shortSha(s.sha)}\` · digest \`${digestPrefix(s.digest)}\` · ${verified}`;
  });
  const [before, last] = pipeline.stages.slice(-2);
  const lag =
    pipeline.behindBy === null
      ? `unknown (${sanitise(pipeline.behindUnknown ?? 'GitHub unavailable', 120)})`
      : `${pipeline.behindBy} commit${pipeline.behindBy === 1 ? '' : 's'}`;
  return [...stages, `${last.service} is behind ${before.service} by ${lag}`];
}
