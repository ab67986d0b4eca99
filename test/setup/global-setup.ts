/** Jest global setup: the suite's temp files go to a folder of its own (see temp-root.ts). */
import { createTempRoot } from './temp-root';

export default function globalSetup(): void {
  createTempRoot();
}
