/**
 * vitest global setup for the lab tests: whatever a test file leaves behind (a crashed worker,
 * a killed run) is removed once all files are done.
 */
import { isRoot } from './install.js';
import { removeLeftovers } from './leftovers.js';

export function teardown(): void {
  if (isRoot()) removeLeftovers();
}
