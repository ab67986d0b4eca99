/** Sends one ephemeral line to the person who acted. */
export type Reply = (text: string) => Promise<void>;
