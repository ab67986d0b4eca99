#!/usr/bin/env node
'use strict';
// The SDK warns on every start that releases after January 2027 need Node 22; the README says so once.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
let entry;
try {
  entry = require('../dist/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write('ecs-chatops is not built yet: run `npm run build` first (npm test, npm run demo and npm start build it too).\n');
    process.exit(2);
  }
  throw err;
}
entry.main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`ecs-chatops: unexpected error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; },
);
