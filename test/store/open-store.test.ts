import { parseStoreSpec, resolveStoreSpec } from '../../src/store/open-store';

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

  it.each(['dynamodb://', 'dynamodb:a', 'dynamodb://bad/name', 'sqlite:', 'postgres://db/chatops'])('refuses %s naming the accepted forms', (text) => {
    expect(() => parseStoreSpec(text, 'ECS_CHATOPS_STORE')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(/^ECS_CHATOPS_STORE: .*sqlite:PATH, dynamodb:TABLE or dynamodb:\/\/TABLE$/) }),
    );
  });
});

describe('Function: resolveStoreSpec', () => {
  const defaultPath = './data/ecs-chatops.db';

  it('prefers ECS_CHATOPS_STORE over the config and ECS_CHATOPS_DB, with the config region', () => {
    const spec = resolveStoreSpec({
      env: { ECS_CHATOPS_STORE: 'dynamodb://shared', ECS_CHATOPS_DB: 'x.db' },
      config: { kind: 'sqlite', path: './other.db' },
      region: 'eu-west-1',
      defaultPath,
    });
    expect(spec).toEqual({ kind: 'dynamodb', table: 'shared', region: 'eu-west-1' });
  });

  it('uses the config store, then ECS_CHATOPS_DB, then the default file', () => {
    expect(resolveStoreSpec({ env: {}, config: { kind: 'dynamodb', table: 'ecs-chatops', region: 'us-west-2' }, defaultPath })).toEqual({
      kind: 'dynamodb',
      table: 'ecs-chatops',
      region: 'us-west-2',
    });
    expect(resolveStoreSpec({ env: { ECS_CHATOPS_DB: 'state/chatops.db' }, defaultPath })).toEqual({ kind: 'sqlite', path: 'state/chatops.db' });
    expect(resolveStoreSpec({ env: {}, defaultPath })).toEqual({ kind: 'sqlite', path: defaultPath });
  });
});
