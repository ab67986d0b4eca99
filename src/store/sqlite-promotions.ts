/**
 * Two-person answers to a blue/green pause on the SQLite file. A request is completed in one
 * immediate transaction (the rules are judgeApproval's), so two processes can never both complete it.
 */
import type { PromoteDecision, PromoteRequest } from '../engine/store-port';
import type { Actor } from '../engine/types';
import { judgeApproval } from './approval-rules';
import type { SqliteDb } from './sqlite-db';

interface PromoteRow {
  id: string;
  service: string;
  change_id: string;
  hook_id: string;
  action: string;
  requester: string;
  created_at: string;
  expires_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
}

export class SqlitePromotions {
  constructor(private readonly conn: SqliteDb) {}

  async insert(request: PromoteRequest): Promise<boolean> {
    return this.conn.guard('recording a promote request', () => {
      const row = toRow(request);
      const names = Object.keys(row);
      const sql = `INSERT INTO promote_requests (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}) ON CONFLICT (id) DO NOTHING`;
      return this.conn.stmt(sql).run(row).changes === 1;
    });
  }

  async get(id: string): Promise<PromoteRequest | undefined> {
    return this.conn.guard('reading a promote request', () => this.read(id));
  }

  /** See judgeApproval: pending → used by a second person, in one immediate transaction. */
  async complete(id: string, by: Actor, now: Date): Promise<PromoteDecision> {
    return this.conn.guard('completing a promote request', () => {
      const complete = this.conn.db.transaction((): PromoteDecision => {
        const request = this.read(id);
        if (!request) return { ok: false, reason: 'not_found', request: null };
        const verdict = judgeApproval(request, 'approved', by, now);
        if (verdict.kind === 'refuse') return { ok: false, reason: verdict.reason, request };
        if (verdict.kind === 'expire') return { ok: false, reason: 'expired', request };
        const sql = `UPDATE promote_requests SET status = 'used', decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'`;
        if (this.conn.stmt(sql).run(JSON.stringify(by), now.toISOString(), id).changes !== 1)
          return { ok: false, reason: 'already_decided', request };
        return { ok: true, request: this.read(id) ?? request };
      });
      return complete.immediate();
    });
  }

  private read(id: string): PromoteRequest | undefined {
    const row = this.conn.stmt('SELECT * FROM promote_requests WHERE id = ?').get(id) as PromoteRow | undefined;
    return row && fromRow(row);
  }
}

function toRow(r: PromoteRequest): PromoteRow {
  return {
    id: r.id,
    service: r.service,
    change_id: r.changeId,
    hook_id: r.hookId,
    action: r.action,
    requester: JSON.stringify(r.requester),
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    status: r.status,
    decided_by: r.decidedBy === null ? null : JSON.stringify(r.decidedBy),
    decided_at: r.decidedAt,
    slack_channel: r.slack?.channel ?? null,
    slack_ts: r.slack?.ts ?? null,
  };
}

function fromRow(row: PromoteRow): PromoteRequest {
  return {
    id: row.id,
    service: row.service,
    changeId: row.change_id,
    hookId: row.hook_id,
    action: row.action === 'ROLLBACK' ? 'ROLLBACK' : 'CONTINUE',
    requester: JSON.parse(row.requester) as Actor,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status === 'used' ? 'used' : 'pending',
    decidedBy: row.decided_by === null ? null : (JSON.parse(row.decided_by) as Actor),
    decidedAt: row.decided_at,
    slack:
      row.slack_channel !== null && row.slack_ts !== null ? { channel: row.slack_channel, ts: row.slack_ts } : null,
  };
}
