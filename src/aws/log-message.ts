/** A single log line can be 256 KB; a report never needs more than this of one. */
export const MAX_MESSAGE_CHARS = 4000;

/** The line without trailing whitespace, cut to MAX_MESSAGE_CHARS. */
export function cutMessage(raw: string): string {
  const message = raw.replace(/\s+$/, '');
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}
