/**
 * A service's name in the config and in commands: lowercase letters, digits and -, starting with a
 * letter, at most 40 characters. Its own module, so command parsing need not load the schema.
 */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
