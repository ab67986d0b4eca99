/**
 * The streams and environment a command runs with. `main` defaults them to the process's;
 * tests pass their own so that output can be read and nothing touches the real terminal.
 */
export interface OutputStream {
  // What it returns is never read: a stream of a test may return nothing.
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** The command's name, as messages and usage lines begin with it. */
export const PROGRAM_NAME = 'ecs-chatops';

/** Writes one line (a newline is added). */
export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}
