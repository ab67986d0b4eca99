#!/usr/bin/env node
'use strict';
// The SDK warns on every start that releases after January 2027 need Node 22; the README says so once.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
require('../dist/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`ecs-chatops: unexpected error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; },
);
