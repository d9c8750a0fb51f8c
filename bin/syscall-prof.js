#!/usr/bin/env node
// The command from a clone: runs the compiled CLI (build it with `make build`).
await import('../.output/dist/cli/main.js');
