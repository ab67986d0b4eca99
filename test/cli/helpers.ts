/** Running `main` in-process with captured streams, temp configs and a recording AWS endpoint. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main, type MainOptions } from '../../src/main';

/** A writable that keeps what was written. */
export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main(argv)` with captured stdout/stderr and a non-TTY stdin unless given. */
export async function run(argv: string[], options: Partial<MainOptions> = {}): Promise<RunOutput> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = options.stdin ?? new PassThrough();
  const code = await main(argv, { env: {}, ...options, stdout, stderr, stdin });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temp folder with files; `cleanup()` removes it. */
export function tempDir(): { dir: string; file(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-cli-'));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const GOOD_CONFIG = `
region: us-east-1
services:
  backend:
    cluster: prod
    service: backend-svc
    container: backend
    ecrRepository: backend
    targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend-tg/0123456789abcdef
    logGroup: /ecs/backend-prod
    baseUrl: https://api.example.com
`;

/** A local HTTP server standing in for every AWS endpoint; it records requests and refuses them all. */
export class RecordingAws {
  readonly requests: { method: string; url: string; target: string; body: string }[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body = (body + chunk).slice(0, 2000)));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          target: String(req.headers['x-amz-target'] ?? ''),
          body,
        });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ValidationException', message: 'recording endpoint' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
