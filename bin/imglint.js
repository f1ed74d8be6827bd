#!/usr/bin/env node
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// The CLI's scripts are compiled through V8's code cache by dist/cli/loader.cjs (see src/cli/startup/loader.ts).
const root = fileURLToPath(new URL('../dist/cli/', import.meta.url));
await createRequire(import.meta.url)('../dist/cli/loader.cjs').run(root);
