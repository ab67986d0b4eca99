/**
 * Which store to open: `sqlite:PATH` (the embedded default) or `dynamodb:TABLE` /
 * `dynamodb://TABLE` (shared by replicas and CI), from the environment override
 * `ECS_CHATOPS_STORE`, the config's `store:` block, or `ECS_CHATOPS_DB`. Adapters load on
 * demand, so a command that opens no store starts without the SQLite or DynamoDB code.
 */
import type { Config } from '../config/schema';
import type { StorePort } from '../engine/store-port';
import { CodedError, ErrorCodes } from '../errors';

export type StoreSpec =
  { kind: 'sqlite'; path: string } | { kind: 'dynamodb'; table: string; region?: string; endpoint?: string };

/** DynamoDB's own rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const STORE_SPEC_FORMS = 'sqlite:PATH, dynamodb:TABLE or dynamodb://TABLE';

/**
 * Reads `sqlite:PATH`, `dynamodb:TABLE` or `dynamodb://TABLE[?region=REGION]`; a bare path is a SQLite file.
 * @throws CodedError `invalid_config` naming `source` (where the text came from) and the accepted forms.
 */
export function parseStoreSpec(text: string, source = 'the store'): StoreSpec {
  const value = text.trim();
  const dynamo = /^dynamodb:(?:\/\/)?([^?]*)(?:\?region=([a-z0-9-]+))?$/.exec(value);
  if (dynamo) {
    const [, table, region] = dynamo;
    if (!TABLE_NAME.test(table)) {
      throw new CodedError(
        ErrorCodes.invalidConfig,
        `${source}: "${table}" is not a DynamoDB table name (3–255 of A–Z a–z 0–9 _ . -); use ${STORE_SPEC_FORMS}`,
      );
    }
    return region ? { kind: 'dynamodb', table, region } : { kind: 'dynamodb', table };
  }
  const path = value.startsWith('sqlite:') ? value.slice('sqlite:'.length) : value;
  if (path === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new CodedError(ErrorCodes.invalidConfig, `${source}: "${text}" is not a store; use ${STORE_SPEC_FORMS}`);
  }
  return { kind: 'sqlite', path };
}

/**
 * The store a process uses: `ECS_CHATOPS_STORE` (`dynamodb://TABLE`, `sqlite:PATH`), else the
 * SQLite file of `ECS_CHATOPS_DB` when the config's store is SQLite, else the config's `store:`.
 * A DynamoDB store without a region takes the config's, else AWS_REGION, else AWS_DEFAULT_REGION;
 * `AWS_ENDPOINT_URL_DYNAMODB` points it at a DynamoDB-compatible server.
 * @throws CodedError `invalid_config` when ECS_CHATOPS_STORE is malformed.
 */
export function storeSpecFor(config: Pick<Config, 'store' | 'region'>, env: NodeJS.ProcessEnv): StoreSpec {
  const spec: StoreSpec = env.ECS_CHATOPS_STORE
    ? parseStoreSpec(env.ECS_CHATOPS_STORE, 'ECS_CHATOPS_STORE')
    : config.store.kind === 'sqlite' && env.ECS_CHATOPS_DB
      ? { kind: 'sqlite', path: env.ECS_CHATOPS_DB }
      : config.store;
  if (spec.kind === 'sqlite') return spec;
  const region = tableRegion(spec.region ?? config.region, env);
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  return { ...spec, ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
}

/** A DynamoDB table's region: `region` when given, else AWS_REGION, else AWS_DEFAULT_REGION. */
export function tableRegion(region: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

/** For messages and `/healthz`: `sqlite:PATH` or `dynamodb:TABLE`. */
export function describeStoreSpec(spec: StoreSpec): string {
  return spec.kind === 'sqlite' ? `sqlite:${spec.path}` : `dynamodb:${spec.table}`;
}

/**
 * Opens the store `spec` names (text as parseStoreSpec reads it, or a parsed spec).
 * @throws CodedError `invalid_config` for a bad spec, `store_error` when a SQLite file cannot be opened.
 */
export async function openStoreFromSpec(spec: StoreSpec | string): Promise<StorePort> {
  const parsed = typeof spec === 'string' ? parseStoreSpec(spec) : spec;
  if (parsed.kind === 'dynamodb') {
    const { DynamoStore } = await import('./dynamo-store');
    return new DynamoStore({ table: parsed.table, region: parsed.region, endpoint: parsed.endpoint });
  }
  const { SqliteStore } = await import('./sqlite-store');
  return new SqliteStore(parsed.path);
}
