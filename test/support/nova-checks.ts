/**
 * Loads Nova's checks for the tests that lint OpenStack pairs by calling the engine's modules directly (the library's
 * entry and the CLI's OpenStack groups load them themselves; src/rules/nova-checks.ts). Registered in vitest.config.ts.
 */
import { loadNovaChecks } from '../../src/rules/nova-checks.js';

await loadNovaChecks();
