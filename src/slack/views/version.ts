/** `/version`: the version endpoint beside what ECS runs, and whether they agree. */
import type { VersionReport } from '../../engine/api';
import { fieldsSection, header, message, sanitise, type SlackMessage } from './blocks';
import { digestPrefix, revisionOf, shortSha } from './format';

const AGREEMENT: Record<VersionReport['agreement'], string> = {
  agree: ':white_check_mark: agree',
  disagree: ':x: disagree',
  unknown: ':grey_question: unknown',
};

export function versionView(report: VersionReport): SlackMessage {
  const e = report.endpoint;
  const endpoint = e.error
    ? `error: ${sanitise(e.error, 200)}`
    : `\`${shortSha(e.gitSha)}\`${e.buildTime ? ` built ${sanitise(e.buildTime, 40)}` : ''}`;
  return message(
    `${report.service}: endpoint ${shortSha(e.gitSha)}, ECS ${shortSha(report.running.sha)} (${report.agreement})`,
    [
      header(`${report.service} version`),
      fieldsSection([
        `*Endpoint says*\n${endpoint}`,
        `*ECS runs*\n\`${shortSha(report.running.sha)}\` on \`${revisionOf(report.running.taskDefinition)}\``,
        `*Digest*\n\`${digestPrefix(report.running.digest)}\``,
        `*Agreement*\n${AGREEMENT[report.agreement]}`,
        `*Endpoint*\n${sanitise(e.url, 300)}${e.status ? ` (HTTP ${e.status})` : ''}`,
        ...(e.version ? [`*App version*\n${sanitise(e.version, 60)}`] : []),
      ]),
    ],
  );
}
