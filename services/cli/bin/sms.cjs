#!/usr/bin/env node
// The command line is TypeScript, run through tsx like every service of the gateway.
require('tsx/cjs/api').register();
require('../src/main.ts');
