import pino, { type Logger } from 'pino';

/** Paths pino blanks out wherever they appear, so tokens and secrets never reach the logs. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'password',
  '*.password',
  'secretAccessKey',
  '*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
  'credentials',
  '*.credentials',
];

/** The process logger: JSON to stderr, level from LOG_LEVEL (default `info`), secrets redacted. */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    { name: 'ecs-chatops', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing, for tests and quiet CLI runs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export type { Logger };
