import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { isIgnored } from './dockerfile-text';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** What `tsc -p <config>` would compile and where it writes, as TypeScript itself reads the config. */
function project(configPath: string): { files: string[]; outDir: string; rootDir: string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, configPath),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const rel = (p: string | undefined) =>
    relative(ROOT, resolve(ROOT, p ?? '.'))
      .split('\\')
      .join('/');
  return {
    files: parsed.fileNames.map((f) => rel(f)),
    outDir: rel(parsed.options.outDir),
    rootDir: rel(parsed.options.rootDir),
  };
}

describe('product build (tsconfig.build.json)', () => {
  const build = project('tsconfig.build.json');

  it('compiles the bot from src/ into dist/', () => {
    expect(build.files).toContain('src/main.ts');
    expect(build.files.every((f) => f.startsWith('src/'))).toBe(true);
    expect(build.outDir).toBe('dist');
  });

  it('ships no benchmark and no test code', () => {
    expect(build.files.filter((f) => /(^|\/)(bench|test)\//.test(f))).toEqual([]);
  });
});

describe('benchmarks (bench/tsconfig.json)', () => {
  const bench = project('bench/tsconfig.json');
  const benchSources = readdirSync(join(ROOT, 'bench', 'src'))
    .filter((n) => n.endsWith('.ts'))
    .map((n) => `bench/src/${n}`);

  it('compiles every benchmark source outside the product output', () => {
    expect(benchSources.length).toBeGreaterThan(10);
    expect(bench.files).toEqual(expect.arrayContaining(benchSources));
    expect(bench.outDir).not.toMatch(/^dist(\/|$)/);
  });

  it('is what `npm run bench` compiles and runs', () => {
    const script = pkg.scripts.bench;
    expect(script).toMatch(/tsc -p bench\/tsconfig\.json/);
    // The entry lands at outDir + its path below rootDir.
    const entry = join(bench.outDir, relative(bench.rootDir || '.', 'bench/src/run.js'))
      .split('\\')
      .join('/');
    expect(script).toMatch(new RegExp(`node ${entry.replace(/[.]/g, '\\.')}(\\s|$)`));
  });

  it('is type-checked by `npm test`', () => {
    expect(pkg.scripts.test).toMatch(/npm run typecheck/);
    expect(pkg.scripts.typecheck).toMatch(/tsc --noEmit -p bench\/tsconfig\.json/);
  });

  it('keeps its output out of git and the image build context', () => {
    const gitignore = readFileSync(join(ROOT, '.gitignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    expect(gitignore).toContain(`${bench.outDir}/`);
    const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
    expect(isIgnored(`${bench.outDir}/bench/src/run.js`, dockerignore)).toBe(true);
    expect(isIgnored('bench/src/run.ts', dockerignore)).toBe(true);
  });
});
