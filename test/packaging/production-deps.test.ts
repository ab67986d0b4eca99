import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** `@scope/name` or `name` of a bare specifier (`@aws-sdk/client-ecs`, `yaml`, `node:fs` → null). */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? null : name;
}

/** Packages the compiled code loads at run time (type-only imports vanish when compiled). */
function runtimeImports(): { file: string; name: string }[] {
  const found: { file: string; name: string }[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const patterns = [
      /^\s*import\s+(?!type\b)[^'";]*?from\s*['"]([^'"]+)['"]/gm,
      /^\s*import\s*['"]([^'"]+)['"]/gm,
      /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
      /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
      /^\s*export\s+(?!type\b)[^'";]*?from\s*['"]([^'"]+)['"]/gm,
    ];
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) {
        const name = packageOf(m[1]);
        if (name) found.push({ file: relative(ROOT, file), name });
      }
    }
  }
  return found;
}

describe('production dependencies (what `npm prune --omit=dev` leaves in the image)', () => {
  const imports = runtimeImports();

  it('sees the packages the code loads', () => {
    expect(imports.map((i) => i.name)).toEqual(
      expect.arrayContaining(['@aws-sdk/client-ecs', 'better-sqlite3', 'yaml']),
    );
  });

  it('declares every package the compiled code loads under dependencies, not devDependencies', () => {
    const undeclared = imports.filter((i) => !(i.name in pkg.dependencies)).map((i) => `${i.file}: ${i.name}`);
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('keeps test-only tools out of the production dependencies', () => {
    for (const tool of ['jest', '@swc/jest', '@swc/core', 'typescript', 'aws-sdk-client-mock']) {
      expect(pkg.dependencies).not.toHaveProperty(tool);
    }
  });
});
