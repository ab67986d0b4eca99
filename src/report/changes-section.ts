/** The report's list of what a deploy ships: every commit read, with its author and pull request. */
import { changesHeadline, type DeployChanges } from '../engine/changes';
import { code, escapeText, table } from './markdown';

export function changesSection(changes: DeployChanges | null | undefined): string | null {
  if (!changes) return null;
  const lines = [`${escapeText(changesHeadline(changes), 400)}.`];
  if (changes.baseSha) lines.push(`From ${code(changes.baseSha)} (running) to ${code(changes.headSha)}.`);
  if (changes.compareUrl && changes.status !== 'identical' && changes.status !== 'unavailable')
    lines.push(`Compare: <${changes.compareUrl}>`);
  if (changes.commits.length > 0) {
    const what = changes.status === 'behind' ? 'Commits this deploy takes away' : 'Commits this deploy ships';
    const rows = changes.commits.map((c) => [
      code(c.sha.slice(0, 7)),
      escapeText(c.title, 200),
      c.author ? escapeText(c.author, 60) : '–',
      c.pr === null ? '–' : `#${c.pr}`,
    ]);
    lines.push(`${what} (newest first):`, table(['Commit', 'Title', 'Author', 'PR'], rows));
  }
  return `## Changes\n\n${lines.join('\n\n')}`;
}
