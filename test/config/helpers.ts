import { parseConfig } from '../../src/config/load';
import { CodedError } from '../../src/errors';

/** A valid one-service config, with extra `service` lines under `services.<name>` and extra top-level lines. */
export function configWith(service: string[] = [], top: string[] = [], name = 'backend'): string {
  return [
    'region: us-east-1',
    ...top,
    'services:',
    `  ${name}:`,
    '    cluster: prod',
    '    service: backend-svc',
    '    container: backend',
    '    ecrRepository: backend',
    ...service.map((line) => `    ${line}`),
    '',
  ].join('\n');
}

/** The problems parseConfig lists (each `key: why`), or [] when the text is accepted. */
export function issuesOf(text: string): string[] {
  try {
    parseConfig(text);
    return [];
  } catch (e) {
    if (!(e instanceof CodedError) || e.code !== 'invalid_config') throw e;
    return (e.details?.issues as string[] | undefined) ?? [];
  }
}
