import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseAgentInterval } from '../../src/cli/agent-options.js';

describe('agent --interval', () => {
  it.each([
    ['1000', 1000],
    ['200', 200],
    ['500ms', 500],
    ['1s', 1000],
    ['2.5s', 2500],
  ])('%j is %d ms', (text, ms) => {
    expect(parseAgentInterval(text)).toBe(ms);
  });

  it.each(['5', 'fast', '0s', '2h'])('rejects %j', (text) => {
    expect(() => parseAgentInterval(text)).toThrow(InvalidArgumentError);
  });
});
