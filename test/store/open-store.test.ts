import { parseConfig } from '../../src/config/load';
import { parseStoreSpec, storeSpecFor } from '../../src/store/open-store';

describe('Function: parseStoreSpec', () => {
  it.each([
    ['sqlite:./data/ecs-chatops.db', { kind: 'sqlite', path: './data/ecs-chatops.db' }],
    ['./data/ecs-chatops.db', { kind: 'sqlite', path: './data/ecs-chatops.db' }],
    ['dynamodb:ecs-chatops', { kind: 'dynamodb', table: 'ecs-chatops' }],
    ['dynamodb://ecs-chatops', { kind: 'dynamodb', table: 'ecs-chatops' }],
    ['dynamodb://ecs-chatops?region=eu-west-1', { kind: 'dynamodb', table: 'ecs-chatops', region: 'eu-west-1' }],
  ])('reads %s', (text, spec) => {
    expect(parseStoreSpec(text)).toEqual(spec);
  });

  it.each(['dynamodb://', 'dynamodb:a', 'dynamodb://bad/name', 'sqlite:', 'postgres://db/chatops'])(
    'refuses %s naming the accepted forms',
    (text) => {
      expect(() => parseStoreSpec(text, 'ECS_CHATOPS_STORE')).toThrow(
        expect.objectContaining({
          code: 'invalid_config',
          message: expect.stringMatching(/^ECS_CHATOPS_STORE: .*sqlite:PATH, dynamodb:TABLE or dynamodb:\/\/TABLE$/),
        }),
      );
    },
  );
});

describe('Function: storeSpecFor', () => {
  const defaultPath = './data/ecs-chatops.db';
  /** A config with no `store:` block, so the store is the schema's default file. */
  const plain = parseConfig(
    'region: us-east-1\nservices:\n  backend: { cluster: prod, service: backend-svc, container: backend, ecrRepository: backend }\n',
  );

  it('prefers ECS_CHATOPS_STORE over the config and ECS_CHATOPS_DB, with the config region', () => {
    const spec = storeSpecFor(
      { store: { kind: 'sqlite', path: './other.db' }, region: 'eu-west-1' },
      { ECS_CHATOPS_STORE: 'dynamodb://shared', ECS_CHATOPS_DB: 'x.db' },
    );
    expect(spec).toEqual({ kind: 'dynamodb', table: 'shared', region: 'eu-west-1' });
  });

  it('uses the config store, then ECS_CHATOPS_DB, then the default file', () => {
    expect(storeSpecFor({ store: { kind: 'dynamodb', table: 'ecs-chatops', region: 'us-west-2' } }, {})).toEqual({
      kind: 'dynamodb',
      table: 'ecs-chatops',
      region: 'us-west-2',
    });
    expect(storeSpecFor(plain, { ECS_CHATOPS_DB: 'state/chatops.db' })).toEqual({
      kind: 'sqlite',
      path: 'state/chatops.db',
    });
    expect(storeSpecFor(plain, {})).toEqual({ kind: 'sqlite', path: defaultPath });
  });

  it('keeps a DynamoDB store of the config over ECS_CHATOPS_DB', () => {
    expect(
      storeSpecFor(
        { store: { kind: 'dynamodb', table: 'ecs-chatops' }, region: 'eu-west-1' },
        { ECS_CHATOPS_DB: 'state/chatops.db' },
      ),
    ).toEqual({
      kind: 'dynamodb',
      table: 'ecs-chatops',
      region: 'eu-west-1',
    });
  });

  it('gives a DynamoDB store without a region AWS_REGION, then AWS_DEFAULT_REGION, and the endpoint override', () => {
    const store = { kind: 'dynamodb', table: 'ecs-chatops' } as const;
    expect(storeSpecFor({ store }, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({
      ...store,
      region: 'eu-west-1',
    });
    expect(
      storeSpecFor({ store }, { AWS_DEFAULT_REGION: 'us-west-2', AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000' }),
    ).toEqual({
      ...store,
      region: 'us-west-2',
      endpoint: 'http://localhost:8000',
    });
    expect(storeSpecFor({ store }, {})).toEqual(store);
  });
});
