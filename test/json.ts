/**
 * A JSON document that a test reads by path: the CLI's `--json` output, a Slack payload, a log line,
 * a config being edited. Each value read from it is checked by the assertion that follows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walked by path in tests; the next expect checks each value
export type JsonDoc = Record<string, any>;
