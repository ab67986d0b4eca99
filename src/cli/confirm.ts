/** Asking a person at a terminal before a change that stops or restarts a service. */
import { createInterface } from 'node:readline';
import { CodedError, ErrorCodes } from '../errors';
import { invalidInput } from './errors';
import type { CliIo } from './io';

/** Asks a yes/no question on stderr and reads the answer from stdin. */
export async function ask(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false });
  try {
    const reply = await new Promise<string>((resolve) => {
      rl.once('close', () => resolve(''));
      rl.question(`${question} [y/N] `, resolve);
    });
    return /^\s*y(es)?\s*$/i.test(reply);
  } finally {
    rl.close();
  }
}

/**
 * Goes ahead when `yes`, or when a person at a TTY answers yes.
 * @throws CodedError `invalid_input` without a TTY and without --yes; `cancelled` when the person says no.
 */
export async function confirmChange(io: CliIo, yes: boolean, question: string): Promise<void> {
  if (yes) return;
  if (!io.stdin.isTTY) throw invalidInput('not a terminal: pass --yes to confirm');
  if (!(await ask(io, question))) throw new CodedError(ErrorCodes.cancelled, 'cancelled: nothing was changed');
}
