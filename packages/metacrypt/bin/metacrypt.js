#!/usr/bin/env node
// Committed stub: npm links a bin only when its file exists at install time, and dist/ is built
// afterwards by the root `prepare` script (tsc -b).
import '../dist/src/cli/metacrypt.js';
