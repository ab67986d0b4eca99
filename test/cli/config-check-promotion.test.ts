/** `config check` on the promotion keys: an unknown source, a cycle and a container that differs each fail naming the key. */
import { run, tempDir } from './helpers';

/** A config with services a, b and c; `extra` adds keys per service. */
function configWith(extra: Record<string, string>, containers: Record<string, string> = {}): string {
  const service = (name: string) =>
    `  ${name}:\n    cluster: c-${name}\n    service: s-${name}\n    container: ${containers[name] ?? 'app'}\n    ecrRepository: app\n${extra[name] ?? ''}`;
  return `region: us-east-1\nservices:\n${['a', 'b', 'c'].map(service).join('')}`;
}

describe('CLI: config check of promotion chains', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('accepts a chain across clusters and prints it', async () => {
    const config = tmp.file(
      'chain.yml',
      configWith({ b: '    promotesFrom: a\n', c: '    promotesFrom: b\n    promotion: { require: verified }\n' }),
    );

    const out = await run(['config', 'check', '--config', config, '--json']);

    expect(out.code).toBe(0);
    const services = JSON.parse(out.stdout).services as { name: string; promotion: unknown; promotesFrom?: string }[];
    expect(services.map((s) => [s.name, s.promotesFrom, s.promotion])).toEqual([
      ['a', undefined, { require: 'warn' }],
      ['b', 'a', { require: 'warn' }],
      ['c', 'b', { require: 'verified' }],
    ]);
  });

  it('says what each service promotes from', async () => {
    const config = tmp.file(
      'text.yml',
      configWith({ b: '    promotesFrom: a\n    promotion: { require: verified }\n' }),
    );

    const out = await run(['config', 'check', '--config', config]);

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/promotes from:\s+a \(require verified\)/);
  });

  it('an unknown promotesFrom fails naming the key (exit 2)', async () => {
    const config = tmp.file('unknown.yml', configWith({ c: '    promotesFrom: staging\n' }));

    const out = await run(['config', 'check', '--config', config]);

    expect(out.code).toBe(2);
    expect(out.stderr).toContain('services.c.promotesFrom: unknown service "staging" (configured: a, b, c)');
  });

  it('a cycle fails naming each key on it (exit 2)', async () => {
    const config = tmp.file('cycle.yml', configWith({ a: '    promotesFrom: b\n', b: '    promotesFrom: a\n' }));

    const out = await run(['config', 'check', '--config', config]);

    expect(out.code).toBe(2);
    expect(out.stderr).toContain('services.a.promotesFrom: the promotion chain is a cycle (a → b → a)');
    expect(out.stderr).toContain('services.b.promotesFrom: the promotion chain is a cycle (b → a → b)');
  });

  it('a source whose container name differs fails naming the key (exit 2)', async () => {
    const config = tmp.file('container.yml', configWith({ b: '    promotesFrom: a\n' }, { a: 'web' }));

    const out = await run(['config', 'check', '--config', config]);

    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`services.b.promotesFrom: a's container is "web", not "app"`);
  });

  it('an unknown policy fails naming the key (exit 2)', async () => {
    const config = tmp.file(
      'policy.yml',
      configWith({ b: '    promotesFrom: a\n    promotion: { require: always }\n' }),
    );

    const out = await run(['config', 'check', '--config', config]);

    expect(out.code).toBe(2);
    expect(out.stderr).toContain('services.b.promotion.require');
  });
});
