/**
 * What a test opens (a simulated world, SDK clients, a store), undone after each test (or, with
 * `afterAll`, after the file's tests) whatever the outcome: `x = opened(await start(), (x) => x.close())`.
 * The undo steps run last-opened first; each runs even when one before it throws, and the first error
 * is then rethrown.
 */
export function openedAfterEach(
  hook: (fn: () => Promise<void>) => void = afterEach,
): <T>(value: T, undo: (value: T) => unknown) => T {
  const steps: (() => unknown)[] = [];
  hook(async () => {
    const errors: unknown[] = [];
    for (const step of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return (value, undo) => {
    steps.push(() => undo(value));
    return value;
  };
}
