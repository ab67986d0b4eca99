import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  assignments,
  baseImage,
  contextSources,
  execForm,
  isIgnored,
  parseDockerfile,
  stagesOf,
  type Instruction,
  type Stage,
} from './dockerfile-text';
import { freePort, runProbe, startHealthz } from './health-probe';

const ROOT = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const instructions = parseDockerfile(dockerfile);
const stages = stagesOf(instructions);
const build = stages[0];
const runtime = stages[stages.length - 1];

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of all(stage, 'ENV')) for (const [k, v] of assignments(ins.args)) env.set(k, v);
  return env;
}

/** Absolute destination of each COPY in a stage, following WORKDIR. */
function copyDestinations(stage: Stage): { ins: Instruction; dest: string }[] {
  let workdir = '/';
  const out: { ins: Instruction; dest: string }[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword === 'WORKDIR') workdir = posix.resolve(workdir, ins.args.trim());
    if (ins.keyword === 'COPY') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      out.push({ ins, dest: posix.resolve(workdir, words[words.length - 1]) });
    }
  }
  return out;
}

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on the same supported Node LTS (bookworm-slim)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const images = new Set(stages.map((stage) => baseImage(stage.from)));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/^node:(22|24)-bookworm-slim$/);
    expect(build.name).toBe('build');
  });

  it('runs on a Node major that package.json supports and that CI tests', () => {
    const major = /^node:(\d+)-/.exec(baseImage(runtime.from))![1];
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines.split('||').map((range) => range.trim())).toContainEqual(
      expect.stringMatching(new RegExp(`^\\^${major}\\.`)),
    );
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(new RegExp(`IMAGE_NODE="\\$\\{IMAGE_NODE:-${major}\\}"`));
    expect(ci).toMatch(/npm install [^\n]*@\$\{IMAGE_NODE\}"/);
    expect(ci).toMatch(/npm rebuild better-sqlite3 --nodedir=/);
  });

  it('pairs better-sqlite3 with the Node versions it must run on: 12.x while Node 20 is supported, never 12.x on Node 24', () => {
    // 13.x does not run on Node 20; 12.x aborts on Node 24.19+ when a statement is garbage-collected.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    const sqliteMajor = Number(lock.packages['node_modules/better-sqlite3'].version.split('.')[0]);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    const majors = engines.split('||').map((range) => Number(/\d+/.exec(range)![0]));
    const imageMajor = Number(/^node:(\d+)-/.exec(baseImage(runtime.from))![1]);
    if (majors.includes(20)) expect(sqliteMajor).toBe(12);
    if (sqliteMajor < 13) expect([...majors, imageMajor].filter((m) => m >= 24)).toEqual([]);
  });

  it('ships production dependencies only: dev dependencies are dropped before node_modules is copied', () => {
    const runs = all(build, 'RUN').map((i) => i.args);
    const buildAt = runs.findIndex((r) => r.includes('npm run build'));
    const pruneAt = runs.findIndex((r) => /npm (prune|ci)\b[^\n]*--omit=dev/.test(r));
    expect(pruneAt).toBeGreaterThanOrEqual(buildAt);
    const modules = all(runtime, 'COPY').find((i) => /\bnode_modules\b/.test(i.args));
    expect(modules?.args).toMatch(/--from=build\b/);
    // The runtime stage installs nothing and carries no compiler.
    const runtimeRuns = all(runtime, 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(runtimeRuns).not.toMatch(/\bnpm (ci|install|i)\b|apt-get install|\bg\+\+/);
  });

  it('runs as the unprivileged node user', () => {
    const users = all(runtime, 'USER').map((i) => i.args.trim());
    expect(users[users.length - 1]).toBe('node');
    const entryLine = all(runtime, 'ENTRYPOINT')[0].line;
    expect(all(runtime, 'USER').every((u) => u.line < entryLine)).toBe(true);
  });

  it('sets production defaults, the port and the SQLite file on a volume the node user owns', () => {
    const env = envOf(runtime);
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('PORT')).toBe('3000');
    expect(all(runtime, 'EXPOSE').map((i) => i.args.trim())).toContain('3000');
    const volume = all(runtime, 'VOLUME')[0];
    const volumePath = (execForm(volume.args) ?? volume.args.trim().split(/\s+/))[0];
    expect(volumePath).toBe('/data');
    expect(env.get('ECS_CHATOPS_DB')).toBe('/data/ecs-chatops.db');
    // Ownership must be set before VOLUME, or Docker discards the change.
    const chown = all(runtime, 'RUN').find((i) => /chown\s+(-R\s+)?node(:node)?\s+\/data\b/.test(i.args));
    expect(chown).toBeDefined();
    expect(chown!.line).toBeLessThan(volume.line);
  });

  it('starts `serve` through the CLI entry point that the image contains', () => {
    const entry = execForm(all(runtime, 'ENTRYPOINT')[0].args);
    expect(entry?.[0]).toBe('node');
    expect(entry?.[1]).toMatch(/(^|\/)bin\/ecs-chatops\.js$/);
    expect(execForm(all(runtime, 'CMD')[0].args)).toEqual(['serve']);
    // The script exists in the repository and lands where the entry point looks for it.
    expect(existsSync(join(ROOT, 'bin', 'ecs-chatops.js'))).toBe(true);
    const script = entry![1];
    const copies = copyDestinations(runtime);
    expect(copies.some(({ ins, dest }) => contextSources(ins).includes('bin') && script.startsWith(`${dest}/`))).toBe(
      true,
    );
    expect(copies.some(({ dest }) => dest.endsWith('/dist'))).toBe(true);
    expect(copies.some(({ dest }) => dest.endsWith('/package.json'))).toBe(true);
  });

  it('bakes in no secret: no token-like ARG or ENV, no token literal', () => {
    for (const ins of instructions.filter((i) => i.keyword === 'ARG' || i.keyword === 'ENV')) {
      for (const name of assignments(ins.args).keys()) {
        expect(name).not.toMatch(/TOKEN|SECRET|PASSWORD|PRIVATE|CREDENTIAL|ACCESS_KEY|SESSION/i);
      }
    }
    expect(dockerfile).not.toMatch(/xox[abpr]-|xapp-|AKIA[0-9A-Z]{16}/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const sources = stages.flatMap((s) => all(s, 'COPY').flatMap(contextSources));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: isIgnored(source, dockerignore) }).toEqual({ source, ignored: false });
    }
  });

  describe('health check', () => {
    const probe = execForm(all(runtime, 'HEALTHCHECK')[0].args.replace(/^(--\S+\s+)*CMD\s+/, ''));

    it('calls /healthz on 127.0.0.1 and PORT with node itself', () => {
      expect(probe?.[0]).toBe('node');
      expect(probe?.join(' ')).toMatch(/127\.0\.0\.1/);
      expect(probe?.join(' ')).toMatch(/process\.env\.PORT/);
    });

    it('passes when /healthz answers 200', async () => {
      const server = await startHealthz(200);
      try {
        expect(await runProbe(probe!, server.port)).toBe(0);
        expect(server.hits).toEqual(['/healthz']);
      } finally {
        await server.close();
      }
    });

    it('fails when /healthz answers 503', async () => {
      const server = await startHealthz(503);
      try {
        expect(await runProbe(probe!, server.port)).toBe(1);
      } finally {
        await server.close();
      }
    });

    it('fails when nothing listens', async () => {
      expect(await runProbe(probe!, await freePort())).toBe(1);
    });
  });
});

describe('.dockerignore', () => {
  it.each([
    'node_modules/zod/package.json',
    'dist/main.js',
    'data/ecs-chatops.db',
    'reports/deploy-1.md',
    '.git/HEAD',
    'test/packaging/dockerfile.test.ts',
    'bench/results/run.json',
    'bench/src/run.ts',
    'dist-bench/bench/src/run.js',
    'ecs-chatops.db',
    'somewhere/deep/ecs-chatops.db-wal',
    '.env',
    '.env.production',
  ])('keeps %s out of the build context', (path) => {
    expect(isIgnored(path, dockerignore)).toBe(true);
  });

  it.each([
    'src/main.ts',
    'package.json',
    'package-lock.json',
    'bin/ecs-chatops.js',
    'manifest.yml',
    'tsconfig.build.json',
  ])('lets %s in', (path) => {
    expect(isIgnored(path, dockerignore)).toBe(false);
  });
});
