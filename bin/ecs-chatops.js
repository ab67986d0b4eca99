#!/usr/bin/env node
'use strict';
require('../dist/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`ecs-chatops: unexpected error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; },
);
