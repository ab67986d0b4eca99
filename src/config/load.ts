import { existsSync, readFileSync } from 'node:fs';
import type { ZodError } from 'zod';
import { CodedError, ErrorCodes } from '../errors';
import { prototypeKeyIssues } from './map-keys';
import { promotionIssues } from './promotion-checks';
import type { Config, NamedService } from './schema';
import type * as SchemaModule from './schema';
import type * as YamlModule from 'yaml';

/**
 * The YAML parser and the schema (zod) load on the first parse, not with this module: help,
 * usage errors and verbs that need no config print their first line without them.
 */
function parsers(): { yaml: typeof YamlModule; schema: typeof SchemaModule } {
  return {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first parse, see above
    yaml: require('yaml') as typeof YamlModule,
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first parse, see above
    schema: require('./schema') as typeof SchemaModule,
  };
}

export const DEFAULT_CONFIG_PATH = './ecs-chatops.yml';

/** Where the config comes from: `--config`, else `ECS_CHATOPS_CONFIG`, else `./ecs-chatops.yml`. */
export function resolveConfigPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.ECS_CHATOPS_CONFIG || DEFAULT_CONFIG_PATH;
}

/** Each zod issue as `services.backend.cluster: required`. */
export function formatConfigIssues(error: ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    let reason = issue.message;
    if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) reason = 'required';
    // A map key that fails its pattern: say why, not zod's generic "Invalid key in record".
    if (issue.code === 'invalid_key' && issue.issues[0]) reason = issue.issues[0].message;
    if (issue.code === 'unrecognized_keys')
      reason = `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    return `${where}: ${reason}`;
  });
}

/**
 * Parses and validates config text.
 * @throws CodedError `invalid_config` with every problem listed in `details.issues`.
 */
export function parseConfig(text: string, source = 'config'): Config {
  const { yaml, schema } = parsers();
  let raw: unknown;
  try {
    raw = yaml.parse(text);
  } catch (e) {
    const where = e instanceof yaml.YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new CodedError(
      ErrorCodes.invalidConfig,
      `${source}: not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`,
      {
        cause: e,
        details: { issues: [`(yaml)${where}: ${(e as Error).message.split('\n')[0]}`] },
      },
    );
  }
  raw ??= {};
  const unsafeKeys = prototypeKeyIssues(raw);
  if (unsafeKeys.length) {
    throw new CodedError(ErrorCodes.invalidConfig, `${source} is invalid:\n  ${unsafeKeys.join('\n  ')}`, {
      details: { issues: unsafeKeys },
    });
  }
  const result = schema.configSchema.safeParse(raw);
  if (!result.success) {
    const issues = formatConfigIssues(result.error);
    throw new CodedError(ErrorCodes.invalidConfig, `${source} is invalid:\n  ${issues.join('\n  ')}`, {
      details: { issues },
    });
  }
  const config = result.data;
  const missingRegion = Object.entries(config.services).filter(
    ([, s]) => !s.region && !config.region && !process.env.AWS_REGION,
  );
  if (missingRegion.length) {
    const issues = missingRegion.map(
      ([name]) => `services.${name}.region: required (or set top-level region or AWS_REGION)`,
    );
    throw new CodedError(ErrorCodes.invalidConfig, `${source} is invalid:\n  ${issues.join('\n  ')}`, {
      details: { issues },
    });
  }
  const promotion = promotionIssues(config);
  if (promotion.length) {
    throw new CodedError(ErrorCodes.invalidConfig, `${source} is invalid:\n  ${promotion.join('\n  ')}`, {
      details: { issues: promotion },
    });
  }
  return config;
}

/**
 * Reads and validates the config file.
 * @throws CodedError `invalid_config` when the file is missing, unreadable or invalid.
 */
export function loadConfig(path: string): Config {
  if (!existsSync(path)) {
    throw new CodedError(
      ErrorCodes.invalidConfig,
      `config file not found: ${path} (use --config PATH or ECS_CHATOPS_CONFIG)`,
      {
        details: { issues: [`${path}: file not found`] },
      },
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CodedError(ErrorCodes.invalidConfig, `cannot read config file ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return parseConfig(text, path);
}

/**
 * Looks a service up by its catalogue key.
 * @throws CodedError `unknown_service` naming the services that exist.
 */
export function getService(config: Config, name: string): NamedService {
  const service = Object.prototype.hasOwnProperty.call(config.services, name) ? config.services[name] : undefined;
  if (!service) {
    const known = Object.keys(config.services).join(', ');
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new CodedError(ErrorCodes.unknownService, `unknown service "${shown}" (configured: ${known})`);
  }
  const region = service.region ?? config.region ?? process.env.AWS_REGION ?? 'us-east-1';
  return { ...service, name, region };
}

export function listServices(config: Config): NamedService[] {
  return Object.keys(config.services).map((name) => getService(config, name));
}
