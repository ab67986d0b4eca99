/** `version` as text: the endpoint's answer beside what ECS runs, and whether they agree. Pure. */
import type { VersionReport } from '../engine/api';
import { shortDigest, shortTaskDefinition } from '../engine/validate';
import { alignTable, createStyle, oneLine, shortSha, type Style } from './format-common';

const PLAIN = createStyle(false);

export function formatVersion(report: VersionReport, style: Style = PLAIN): string[] {
  const e = report.endpoint;
  const endpoint = e.error
    ? style.red(`unreachable: ${oneLine(e.error, 160)}`)
    : `git ${shortSha(e.gitSha)}${e.version ? `, version ${e.version}` : ''}${e.buildTime ? `, built ${e.buildTime}` : ''}${e.status ? ` (HTTP ${e.status})` : ''}`;
  const r = report.running;
  const agreement =
    report.agreement === 'agree'
      ? style.green('agree')
      : report.agreement === 'disagree'
        ? style.red('DISAGREE: the endpoint reports another build than ECS runs')
        : style.yellow('unknown (one side has no git SHA)');
  return [
    style.bold(report.service),
    ...alignTable([
      ['endpoint:', e.url],
      ['  reports:', endpoint],
      ['ECS runs:', shortTaskDefinition(r.taskDefinition)],
      ['  image:', r.image],
      ['  digest:', shortDigest(r.digest)],
      ['  release sha:', shortSha(r.sha)],
      ['agreement:', agreement],
    ]),
  ];
}
