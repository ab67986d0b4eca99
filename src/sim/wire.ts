/**
 * AWS wire formats the simulator answers in: JSON 1.1 (ECS, ECR, CloudWatch Logs)
 * and the Query protocol with XML answers (ELBv2).
 */

/** An error the simulator answers with, in the protocol's own error shape. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** An error answered as a web page, the way some emulators and proxies answer an operation they lack. */
export class HtmlPageError extends AwsError {
  constructor(operation: string, status = 500) {
    super('NotImplementedError', `The ${operation} action has not been implemented`, status);
    this.name = 'HtmlPageError';
  }

  /** The page: what a Python emulator's debug server shows for a NotImplementedError. */
  page(): string {
    const text = this.message.replace(/[<>&]/g, ' ');
    return `<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>NotImplementedError: ${text}</p>\n`;
  }
}

/** A Date from any realm (structuredClone answers with the host's Date, not the caller's). */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** JSON 1.1 timestamps are epoch seconds (fractions allowed). */
export function toJsonBody(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const raw = key === '' ? v : this[key];
    if (isDate(raw)) return raw.getTime() / 1000;
    return v;
  });
}

export function jsonErrorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

/** Query-protocol XML: objects become elements, arrays become `<member>` lists, dates ISO 8601. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (isDate(value)) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  // What is left is a primitive; AWS responses hold only strings, numbers and booleans.
  return escapeXml(typeof value === 'number' || typeof value === 'boolean' ? String(value) : (value as string));
}

export function xmlResponseBody(action: string, namespace: string, result: unknown, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function xmlErrorBody(error: AwsError, namespace: string, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/**
 * Parses a Query-protocol form body into nested values:
 * `TargetGroupArns.member.1=a&Targets.member.1.Id=x` → `{ TargetGroupArns: ['a'], Targets: [{ Id: 'x' }] }`.
 */
export function parseQueryBody(body: string): { action: string; version: string; params: Record<string, unknown> } {
  const form = new URLSearchParams(body);
  const params: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    setPath(params, key.split('.'), value);
  }
  return {
    action: form.get('Action') ?? '',
    version: form.get('Version') ?? '',
    params: unwrapMembers(params) as Record<string, unknown>,
  };
}

function setPath(target: Record<string, unknown>, parts: string[], value: string): void {
  let node = target;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const next = node[parts[i]];
    if (typeof next !== 'object' || next === null) node[parts[i]] = {};
    node = node[parts[i]] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** `{ member: { '1': a, '2': b } }` → `[a, b]`, recursively. */
function unwrapMembers(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'member' && typeof record.member === 'object' && record.member !== null) {
    const members = record.member as Record<string, unknown>;
    return Object.keys(members)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => unwrapMembers(members[k]));
  }
  return Object.fromEntries(keys.map((k) => [k, unwrapMembers(record[k])]));
}
