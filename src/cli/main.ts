// Entry point of the syscall-prof command under node (bin/syscall-prof.js imports this).
import './terminal-env.js';
import { main } from './entry.js';

await main();
