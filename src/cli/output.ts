/** How `main` ends a run: the result, or an error, in human or JSON form. */
import { ExitCode } from '../engine/model';
import { oneLine } from './format-common';
import type { CliContext, CommandResult } from './context';
import { classifyError, errorBody } from './errors';
import { PROGRAM_NAME, writeLine, type CliIo } from './io';
import type { UsageError } from './program';

export function printResult(ctx: CliContext, result: CommandResult): number {
  if (result.printed) return result.exitCode;
  if (ctx.json) writeLine(ctx.io.stdout, JSON.stringify(result.json, null, 2));
  else if (result.text) writeLine(ctx.io.stdout, result.text);
  return result.exitCode;
}

/** A thrown error: the message on stderr, and with --json the error object on stdout. */
export function printError(ctx: CliContext, error: unknown): number {
  const { outcome, exitCode } = classifyError(error, ctx.changing);
  const body = errorBody(error);
  writeLine(ctx.io.stderr, `${PROGRAM_NAME}: ${body.message}`);
  if (outcome === 'failed') ctx.logger.debug({ err: error }, 'command failed');
  if (ctx.json) writeLine(ctx.io.stdout, JSON.stringify({ ok: false, outcome, exitCode, error: body }, null, 2));
  return exitCode;
}

const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Commander's own errors (unknown option, missing argument, …) exit 2 with the message and a
 * one-line usage hint; `--help` and `--version` exit 0.
 */
export function printUsageError(io: CliIo, error: UsageError, json: boolean): number {
  const { code, message } = error.commanderError;
  if (HELP_CODES.has(code)) return ExitCode.ok;
  // `ecs-chatops` alone (or `config` alone) has printed the help on stderr already.
  if (code !== 'commander.help') {
    const lines = message.split('\n').map((l) => oneLine(l.replace(/^error: /, ''), 200));
    writeLine(io.stderr, `${PROGRAM_NAME}: ${lines.join(' ')}`);
    writeLine(io.stderr, `usage: ${error.usage}  (see --help)`);
  }
  if (json) {
    const body = { code: 'invalid_input', message: oneLine(message.replace(/^error: /, ''), 300), usage: error.usage };
    writeLine(
      io.stdout,
      JSON.stringify({ ok: false, outcome: 'invalid', exitCode: ExitCode.invalid, error: body }, null, 2),
    );
  }
  return ExitCode.invalid;
}
