/**
 * Writes engine events to the terminal (stderr). On a TTY the rollout progress is one
 * updating spinner line; elsewhere a progress line is printed only when the counts change.
 */
import { formatTrafficEvent } from './format-traffic';
import { formatFrozen } from './format-freeze';
import type { ChangeResult, EngineEvent } from '../engine/model';
import type { SmokeResult } from '../engine/types';
import { renderSmokeTable } from '../smoke/render-table';
import { createStyle, shortSha, type Style } from './format-common';
import {
  formatLogFindings,
  formatPhaseFinished,
  formatPhaseStarted,
  formatPlanEvent,
  formatProgress,
  formatRollbackBanner,
  formatServiceEvent,
  formatSummary,
  formatTargets,
  progressKey,
} from './format-progress';
import { colorEnabled, type OutputStream } from './io';
import { formatChanges } from './format-changes';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

export interface TerminalReporterOptions {
  stream: OutputStream;
  /** Whether the stream is an interactive terminal (spinner allowed). */
  tty: boolean;
  color: boolean;
  /** Renders the smoke table; defaults to the smoke module's. */
  renderSmoke?: (results: SmokeResult[], options: { color: boolean }) => string;
  /** Spinner frame interval; 0 disables the timer (the frame then advances per event). */
  spinnerMs?: number;
}

export class TerminalReporter {
  private readonly style: Style;
  private readonly seenEvents = new Set<string>();
  private lastProgressKey: string | null = null;
  private statusText: string | null = null;
  private frame = 0;
  private timer: NodeJS.Timeout | null = null;
  /** True once the final summary has been printed. */
  finished = false;

  constructor(private readonly options: TerminalReporterOptions) {
    this.style = createStyle(options.color);
  }

  /** The engine's event listener. */
  readonly onEvent = (event: EngineEvent): void => {
    switch (event.type) {
      case 'change_started': {
        const sha = event.sha ? ` ${shortSha(event.sha)}` : '';
        this.line(
          this.style.bold(`${event.kind} ${event.service}${sha}`) +
            ` by ${event.actor.name} (change ${event.changeId})`,
        );
        return;
      }
      case 'phase_started':
        this.line(formatPhaseStarted(event.phase, this.style));
        return;
      case 'phase_finished':
        this.clearStatus();
        this.line(formatPhaseFinished(event.result, event.ms, this.style));
        return;
      case 'progress':
        this.progress(event);
        return;
      case 'plan':
        this.lines(formatPlanEvent(event).map((l) => `  ${l}`));
        return;
      case 'changes':
        this.lines(formatChanges(event.changes, 10, this.style).map((l) => `  ${l}`));
        return;
      case 'promotion':
        this.line(
          `  ${event.check.verdict === 'ok' ? this.style.green('✓') : this.style.yellow('!')} ${event.check.message}`,
        );
        return;
      case 'service_event':
        if (this.seenEvents.has(event.event.id)) return;
        this.seenEvents.add(event.event.id);
        this.line(formatServiceEvent(event.event, this.style));
        return;
      case 'targets':
        this.lines(formatTargets(event.targets, this.style).map((l) => `  ${l}`));
        return;
      case 'smoke': {
        const render = this.options.renderSmoke ?? renderSmokeTable;
        this.lines(render(event.results, { color: this.options.color }).split('\n'));
        return;
      }
      case 'logs':
        this.lines(formatLogFindings(event.findings, this.style).map((l) => `  ${l}`));
        return;
      case 'rollback_started':
        this.clearStatus();
        this.lines(formatRollbackBanner(event.reason, event.toTaskDefinition, this.style));
        return;
      case 'change_finished':
        this.printSummary(event.result);
        return;
      case 'frozen':
        this.lines(formatFrozen(event.freezes, event.approvedBy));
        return;
      case 'traffic':
      case 'test_checks':
      case 'paused':
      case 'hook_answered':
        this.clearStatus();
        this.lines(formatTrafficEvent(event, this.style));
    }
  };

  /** Prints the closing summary once (also for results that never emitted `change_finished`). */
  printSummary(result: ChangeResult): void {
    this.clearStatus();
    if (this.finished) return;
    this.finished = true;
    this.lines(formatSummary(result, this.style));
  }

  /** Stops the spinner and leaves the cursor on a clean line. */
  close(): void {
    this.clearStatus();
  }

  private progress(event: Extract<EngineEvent, { type: 'progress' }>): void {
    const text = formatProgress(event);
    if (!this.options.tty) {
      const key = progressKey(event);
      if (key === this.lastProgressKey) return;
      this.lastProgressKey = key;
      this.line(`  ${text}`);
      return;
    }
    this.statusText = text;
    this.frame += 1;
    this.drawStatus();
    if (!this.timer && (this.options.spinnerMs ?? 120) > 0) {
      this.timer = setInterval(() => {
        this.frame += 1;
        this.drawStatus();
      }, this.options.spinnerMs ?? 120);
      // The spinner must never keep the process alive.
      this.timer.unref();
    }
  }

  private drawStatus(): void {
    if (this.statusText === null) return;
    const spin = this.style.dim(SPINNER[this.frame % SPINNER.length]);
    this.options.stream.write(`${CLEAR_LINE}  ${spin} ${this.statusText}`);
  }

  private clearStatus(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.statusText !== null && this.options.tty) this.options.stream.write(CLEAR_LINE);
    this.statusText = null;
  }

  private line(text: string): void {
    if (this.statusText !== null && this.options.tty) {
      // Print above the spinner line, then draw the spinner again beneath.
      this.options.stream.write(`${CLEAR_LINE}${text}\n`);
      this.drawStatus();
      return;
    }
    this.options.stream.write(`${text}\n`);
  }

  private lines(texts: string[]): void {
    for (const text of texts) this.line(text);
  }
}

/** The reporter for a command's stderr: spinner and colour only on a TTY (and colour only without NO_COLOR). */
export function createTerminalReporter(stream: OutputStream, env: NodeJS.ProcessEnv): TerminalReporter {
  return new TerminalReporter({ stream, tty: Boolean(stream.isTTY), color: colorEnabled(stream, env) });
}
