#!/usr/bin/env node
// The installed command: runs the compiled CLI (build it with `npx tsc -p tsconfig.json`).
import '../.output/dist/cli/main.js';
