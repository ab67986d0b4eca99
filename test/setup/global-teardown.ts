/** Jest global teardown: fails the run if the tests left anything in their temp folder (see temp-root.ts). */
import { removeTempRoot } from './temp-root';

export default function globalTeardown(): void {
  removeTempRoot();
}
