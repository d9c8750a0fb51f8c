// The finding rules, in the order their findings are listed.
import type { FindingRule } from '../findings.js';
import { dominantSyscall } from './dominant-syscall.js';
import { failingSyscalls } from './failing-syscall.js';
import { multimodalSyscalls } from './multimodal-syscall.js';

// Every rule the report runs.
export const FINDING_RULES: readonly FindingRule[] = [dominantSyscall, multimodalSyscalls, failingSyscalls];
