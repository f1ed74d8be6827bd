#!/usr/bin/env node
'use strict';
// A CommonJS script (see bin/package.json): starting Node's ES module loader would cost a one-pair check about 10 ms.
// The CLI's own scripts are compiled through V8's code cache by dist/cli/loader.cjs (src/cli/startup/loader.ts).
const path = require('node:path');

require('../dist/cli/loader.cjs')
  .run(path.join(__dirname, '..', 'dist', 'cli'))
  .catch((error) => {
    // The CLI maps every error itself; this is a broken installation (a dist/ file missing or unreadable).
    process.stderr.write(`imglint: internal error: ${error instanceof Error ? error.message : String(error)}\nhint: reinstall imglint\n`);
    process.exitCode = 3;
  });
