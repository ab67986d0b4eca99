/**
 * Approval requests on the SQLite file: single use, decided in one immediate transaction
 * (the rules are judgeApproval's), so two processes can never both decide one request.
 */
import type { ApprovalRequest, ApprovalStatus } from '../engine/model';
import type { ApprovalDecision } from '../engine/store-port';
import type { Actor } from '../engine/types';
import { judgeApproval } from './approval-rules';
import { APPROVAL_LIST_LIMIT } from './limits';
import { approvalFromRow, approvalToRow, type ApprovalRow } from './rows';
import type { SqliteDb } from './sqlite-db';

export class SqliteApprovals {
  constructor(private readonly conn: SqliteDb) {}

  async insert(request: ApprovalRequest): Promise<void> {
    return this.conn.guard('recording an approval request', () => {
      const row = approvalToRow(request);
      const names = Object.keys(row);
      this.conn
        .stmt(`INSERT INTO approvals (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`)
        .run(row);
    });
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return this.conn.guard('reading an approval request', () => this.readApproval(id));
  }

  async list(filter: { service?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
    return this.conn.guard('listing approval requests', () => {
      const where: string[] = [];
      const params: Record<string, string> = {};
      for (const key of ['service', 'status'] as const) {
        const value = filter[key];
        if (value !== undefined) {
          where.push(`${key} = @${key}`);
          params[key] = value;
        }
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const sql = `SELECT * FROM approvals ${clause} ORDER BY created_at DESC, rowid DESC LIMIT ${APPROVAL_LIST_LIMIT}`;
      return (this.conn.stmt(sql).all(params) as ApprovalRow[]).map(approvalFromRow);
    });
  }

  /** See judgeApproval for the rules; the read and the write happen in one immediate transaction. */
  async decide(
    id: string,
    decision: 'approved' | 'denied' | 'used' | 'expired',
    by: Actor,
    now: Date,
  ): Promise<ApprovalDecision> {
    return this.conn.guard('deciding an approval request', () => {
      const decide = this.conn.db.transaction((): ApprovalDecision => {
        const request = this.readApproval(id);
        if (!request) return { ok: false, reason: 'not_found', request: null };
        const verdict = judgeApproval(request, decision, by, now);
        if (verdict.kind === 'refuse') return { ok: false, reason: verdict.reason, request };
        const at = now.toISOString();
        if (verdict.kind === 'expire') {
          this.setApprovalStatus(id, 'pending', 'expired', null, at);
          return { ok: false, reason: 'expired', request: this.readApproval(id) ?? null };
        }
        const decider = verdict.recordDecider ? by : null;
        if (!this.setApprovalStatus(id, verdict.from, verdict.status, decider, at)) {
          return { ok: false, reason: 'already_decided', request };
        }
        // Read back inside the transaction that wrote it, so it is there; a missing row reads as not found.
        const decided = this.readApproval(id);
        return decided ? { ok: true, request: decided } : { ok: false, reason: 'not_found', request: null };
      });
      return decide.immediate();
    });
  }

  async setSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    return this.conn.guard('recording an approval message', () => {
      this.conn
        .stmt('UPDATE approvals SET slack_channel = ?, slack_ts = ? WHERE id = ?')
        .run(slack.channel, slack.ts, id);
    });
  }

  private readApproval(id: string): ApprovalRequest | undefined {
    const row = this.conn.stmt('SELECT * FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined;
    return row && approvalFromRow(row);
  }

  /** Compare-and-set on the status column; false when another decision got there first. */
  private setApprovalStatus(
    id: string,
    from: ApprovalStatus,
    to: ApprovalStatus,
    by: Actor | null,
    at: string,
  ): boolean {
    const keepDecider = by === null && to === 'used';
    const sql = keepDecider
      ? 'UPDATE approvals SET status = @to WHERE id = @id AND status = @from'
      : 'UPDATE approvals SET status = @to, decided_by = @by, decided_at = @at WHERE id = @id AND status = @from';
    const params = keepDecider ? { id, from, to } : { id, from, to, by: by === null ? null : JSON.stringify(by), at };
    return this.conn.stmt(sql).run(params).changes === 1;
  }
}
