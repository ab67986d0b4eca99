/** What a deploy ships, as terminal lines: the headline, the commits, the compare link. Pure. */
import { changesHeadline, prShownApart, titleWithoutPr, type DeployChanges } from '../engine/changes';
import { createStyle, oneLine, shortSha, type Style } from './format-common';

const PLAIN = createStyle(false);

/** The lines for `changes`, listing at most `max` commits (newest first) and "… and N more". */
export function formatChanges(changes: DeployChanges, max = 10, style: Style = PLAIN): string[] {
  const headline = changesHeadline(changes);
  const lines = [
    changes.status === 'unavailable' ? style.yellow(`changes: ${oneLine(headline, 300)}`) : `changes: ${headline}`,
  ];
  const shown = changes.commits.slice(0, max);
  for (const c of shown) {
    const title = titleWithoutPr(c);
    const pr = prShownApart(c) ? ` (#${c.pr})` : '';
    const author = c.author ? style.dim(` — ${oneLine(c.author, 40)}`) : '';
    lines.push(`  ${style.dim(shortSha(c.sha))} ${oneLine(title, 100)}${pr}${author}`);
  }
  const more = changes.totalCommits - shown.length;
  if (shown.length > 0 && more > 0) lines.push(`  … and ${more} more`);
  if (changes.compareUrl && changes.status !== 'identical') lines.push(`  compare: ${changes.compareUrl}`);
  return lines;
}
