/**
 * Runs a health-check command (as the Dockerfile or the task definition spells it) against a
 * local HTTP server, so the probe's behaviour is tested, not only its text.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local server answering `/healthz` with `status`; other paths get 404. */
export async function startHealthz(status: number): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(req.url === '/healthz' ? status : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'unhealthy' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `argv` (argv[0] must be `node`) with PORT set; resolves with its exit code. */
export function runProbe(argv: string[], port: number): Promise<number> {
  if (argv[0] !== 'node') throw new Error(`health check must run node, got ${argv[0]}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv.slice(1), {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}
