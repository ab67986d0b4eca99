/**
 * What a deploy ships, in mrkdwn: a headline, the newest commits, "and N more" and the compare
 * link. Commit text is written by anyone who can push, so it is escaped, cut, and made inert: it
 * never pings, never links, and never breaks the section it sits in. Pure.
 */
import {
  changesHeadline,
  prShownApart,
  titleWithoutPr,
  type ChangeCommit,
  type DeployChanges,
} from '../../engine/changes';
import { LIMITS, sanitise } from './blocks';
import { shaLink, shortSha } from './format';
import { isValidSha } from '../../engine/release-ref';

/** Room kept in a section for the "and N more" line and the link. */
const TAIL_ROOM = 400;

/**
 * Untrusted text that Slack shows as written: escaped (no `<!channel>`, no `<url|label>`), with
 * `@here`-style words and bare web addresses broken by a zero-width space so that no client
 * pings or links them.
 */
export function inertText(text: string, max: number): string {
  return sanitise(text, max)
    .replace(/@(here|channel|everyone)\b/gi, '@\u200b$1')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, 'www\u200b.');
}

/** The PR number linked to the repository's pull request page (a link the bot makes), else `#123`. */
function prLink(pr: number, repositoryUrl?: string): string {
  return repositoryUrl ? `<${repositoryUrl.replace(/\/+$/, '')}/pull/${pr}|#${pr}>` : `#${pr}`;
}

/** One commit: short SHA (linked), title, PR, author. */
export function commitLine(commit: ChangeCommit, repositoryUrl?: string, maxTitle = 120): string {
  const title = titleWithoutPr(commit);
  const pr = prShownApart(commit) ? ` (${prLink(commit.pr, repositoryUrl)})` : '';
  const author = commit.author ? ` — ${inertText(commit.author, 40)}` : '';
  return `${shaLink(commit.sha, repositoryUrl)} ${inertText(title, maxTitle) || '(no message)'}${pr}${author}`;
}

/** The headline in mrkdwn: "*Ships 12 commits*", or the reason they are unavailable. */
export function changesHeadlineText(changes: DeployChanges): string {
  const words = changesHeadline(changes);
  if (changes.status === 'unavailable') return `:warning: ${inertText(words, 300)}`;
  const running =
    changes.baseSha && isValidSha(changes.baseSha) ? ` · running now: \`${shortSha(changes.baseSha)}\`` : '';
  return `*${inertText(words.charAt(0).toUpperCase() + words.slice(1), 300)}*${running}`;
}

/**
 * The section text: the headline, up to `max` commits newest first (fewer when they would not
 * fit in `budget` characters), "…and N more" and the compare link.
 */
export function changesText(
  changes: DeployChanges,
  options: { max: number; repositoryUrl?: string; budget?: number; maxTitle?: number },
): string {
  const budget = Math.min(options.budget ?? LIMITS.sectionText, LIMITS.sectionText) - TAIL_ROOM;
  // The compare link is ours (built from repositoryUrl): the repository it names links commits and PRs.
  const repositoryUrl = options.repositoryUrl ?? changes.compareUrl?.replace(/\/compare\/[^/]*$/, '');
  const lines = [changesHeadlineText(changes)];
  let used = lines[0].length;
  let shown = 0;
  for (const commit of changes.commits.slice(0, options.max)) {
    const line = `• ${commitLine(commit, repositoryUrl, options.maxTitle)}`;
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  const more = changes.totalCommits - shown;
  if (shown > 0 && more > 0) lines.push(`…and ${more} more`);
  if (changes.compareUrl && changes.status !== 'identical' && changes.compareUrl.length < 300)
    lines.push(`<${changes.compareUrl}|Compare on GitHub>`);
  return lines.join('\n');
}
