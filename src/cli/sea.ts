// Entry point of the single executable (`make dist`): scripts/bundle.mjs
// bundles it into one CommonJS file, which has no top-level await.
import './terminal-env.js';
import { main } from './entry.js';

void main();
