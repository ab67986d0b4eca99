/**
 * Runs a change (deploy, rollback, stop, restart) through the engine with a Slack thread attached.
 * It is glue only: which change and with what arguments was decided by the caller.
 */
import type { Config } from '../config/schema';
import type { ChangeResult, Changes, Queries, RollbackTarget } from '../engine/api';
import { approverOf } from '../engine/model';
import type { Actor } from '../engine/types';
import type { Logger } from '../logger';
import type { BotClient } from './bot-client';
import type { ChannelPacer } from './channel-pacer';
import { slackErrorCode } from './slack-client';
import type { ReportReader } from './thread-replies';
import { createThreadReporter, type ThreadReporter } from './thread-reporter';

export type ChangeSpec =
  | {
      kind: 'deploy';
      service: string;
      sha: string;
      skipSmoke?: boolean;
      /** Override a freeze (with the approval of it) or redeploy what runs. */
      force?: boolean;
      /** Asked as a freeze override (kept in the approval request). */
      freezeOverride?: boolean;
      /** A promotion: the source and the release fixed when it was asked for. */
      promotion?: PromotionSpec;
    }
  | { kind: 'rollback'; service: string; target: RollbackTarget }
  | { kind: 'stop'; service: string; reason: string }
  | { kind: 'restart'; service: string; count?: number };

/** A promotion, with the release fixed when it was asked for: an approval promotes exactly that. */
export interface PromotionSpec {
  from: string;
  image: string;
  digest: string;
  /** Asks to override `promotion.require: verified` (a second person approves it). */
  force: boolean;
}

export interface RunOptions {
  actor: Actor;
  channel: string;
  approvalId?: string;
  /** Told (ephemerally, by the caller) when the thread cannot be posted in this channel. */
  onThreadRefused?(why: string): void;
}

export type ChangeOutcome =
  { kind: 'deploy' | 'rollback'; result: ChangeResult } | { kind: 'stop' | 'restart'; result: ChangeResult };

export interface ReporterTuning {
  minUpdateIntervalMs?: number;
  retryBaseMs?: number;
  /** Spacing of thread replies per channel (default: the process-wide 1/s pacer). */
  pacer?: Pick<ChannelPacer, 'turn'>;
}

export class ChangeRunner {
  private readonly active = new Map<string, ThreadReporter>();
  private readonly reporters = new Set<ThreadReporter>();
  private readonly claims = new Set<string>();

  constructor(
    private readonly engine: Changes & Queries,
    private readonly config: Config,
    private readonly client: BotClient,
    private readonly logger: Logger,
    /** Reads a change's stored report for its thread. */
    private readonly getReport: ReportReader | undefined,
    private readonly tuning: ReporterTuning = {},
  ) {}

  /**
   * Runs the change to its end. The engine reports outcomes as values;
   * @throws only what the engine throws unexpectedly.
   */
  async run(spec: ChangeSpec, options: RunOptions): Promise<ChangeOutcome> {
    const reporter = createThreadReporter({
      client: this.client,
      channel: options.channel,
      engine: this.engine,
      config: this.config,
      getReport: this.getReport,
      logger: this.logger,
      initial: {
        kind: spec.kind,
        service: spec.service,
        actor: options.actor,
        sha: spec.kind === 'deploy' ? spec.sha || null : null,
      },
      onParentRefused: (e) => options.onThreadRefused?.(slackErrorCode(e)),
      ...this.tuning,
    });
    this.reporters.add(reporter);
    const hooks = {
      actor: options.actor,
      approvalId: options.approvalId,
      onEvent: reporter.onEvent,
      onStart: (id: string) => {
        this.active.set(id, reporter);
        return reporter.onStart(id);
      },
    };
    try {
      switch (spec.kind) {
        case 'deploy':
          return {
            kind: 'deploy',
            result: spec.promotion
              ? await this.engine.promoteFrom({
                  ...hooks,
                  service: spec.service,
                  from: spec.promotion.from,
                  pinned: { image: spec.promotion.image, sha: spec.sha || null },
                  force: spec.promotion.force,
                  skipSmoke: spec.skipSmoke,
                })
              : await this.engine.deploy({
                  ...hooks,
                  service: spec.service,
                  sha: spec.sha,
                  skipSmoke: spec.skipSmoke,
                  force: spec.force,
                }),
          };
        case 'rollback':
          return {
            kind: 'rollback',
            result: await this.engine.rollback({ ...hooks, service: spec.service, target: spec.target }),
          };
        case 'stop':
          return this.simple(
            'stop',
            reporter,
            await this.engine.stop({ ...hooks, service: spec.service, reason: spec.reason }),
          );
        case 'restart':
          return this.simple(
            'restart',
            reporter,
            await this.engine.restart({ ...hooks, service: spec.service, count: spec.count }),
          );
      }
      throw new Error('unknown change kind');
    } finally {
      if (reporter.changeId) this.active.delete(reporter.changeId);
      void reporter.flush().then(() => this.reporters.delete(reporter));
    }
  }

  private simple(kind: 'stop' | 'restart', reporter: ThreadReporter, result: ChangeResult): ChangeOutcome {
    if (!reporter.finished && reporter.parent) reporter.conclude(result.ok, result.summary);
    return { kind, result };
  }

  /**
   * Resumes the changes a stopped process left running (engine.recover) and reports them in the
   * Slack threads they started in, so the people watching see how they ended.
   */
  async recover(hostLabel: string): Promise<ChangeResult[]> {
    const threads = new Map<string, Promise<ThreadReporter | null>>();
    // Events of one change wait, in order, for its thread to be found.
    const threadFor = (changeId: string): Promise<ThreadReporter | null> => {
      let thread = threads.get(changeId);
      if (!thread) {
        thread = this.resumedThread(changeId, hostLabel).catch((e: unknown) => {
          // The change itself is resumed all the same; only its Slack thread stays silent.
          this.logger.warn({ err: e, changeId }, 'cannot pick up the Slack thread of a resumed change');
          return null;
        });
        threads.set(changeId, thread);
      }
      return thread;
    };
    try {
      return await this.engine.recover(
        (event) => void threadFor(event.changeId).then((reporter) => reporter?.onEvent(event)),
      );
    } finally {
      for (const [id, thread] of threads) {
        const reporter = await thread;
        if (!reporter) continue;
        this.active.delete(id);
        void reporter.flush().then(() => this.reporters.delete(reporter));
      }
    }
  }

  /** The thread a resumed change started in, picked up again; null when it had none. */
  private async resumedThread(changeId: string, hostLabel: string): Promise<ThreadReporter | null> {
    const record = await this.engine.getChange(changeId);
    if (!record?.slack) return null;
    const reporter = createThreadReporter({
      client: this.client,
      channel: record.slack.channel,
      engine: this.engine,
      config: this.config,
      getReport: this.getReport,
      logger: this.logger,
      initial: {
        kind: record.kind,
        service: record.service,
        actor: record.actor,
        approvedBy: approverOf(record.phases),
        sha: record.sha,
        startedAt: record.startedAt,
        fromTaskDefinition: record.fromTaskDefinition,
        toTaskDefinition: record.toTaskDefinition,
        digest: record.digest,
      },
      ...this.tuning,
    });
    reporter.resume(
      changeId,
      record.slack,
      `Resumed by ${hostLabel} after the process running it stopped: watching and verifying again.`,
    );
    this.reporters.add(reporter);
    this.active.set(changeId, reporter);
    return reporter;
  }

  /** The live thread of a running change in this process, if any. */
  reporterFor(changeId: string): ThreadReporter | undefined {
    return this.active.get(changeId);
  }

  /**
   * Guards one button against double clicks within this process.
   * @returns false when the same key is already being handled.
   */
  claim(key: string): boolean {
    if (this.claims.has(key)) return false;
    this.claims.add(key);
    return true;
  }

  release(key: string): void {
    this.claims.delete(key);
  }

  /** Waits (bounded) for every thread to deliver its last messages, then stops their timers. */
  async close(timeoutMs: number): Promise<void> {
    await Promise.all([...this.reporters].map((r) => r.flush(timeoutMs)));
    for (const r of this.reporters) r.dispose();
    this.reporters.clear();
  }
}
