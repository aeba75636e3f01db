/** Text pieces of the reports: how a run that ended early prints. */
import { describe, expect, it } from 'vitest';
import { formatRunError, ruleCounts } from '../../src/cli/format.js';
import type { RunError } from '../../src/host/result.js';

describe('formatRunError', () => {
  it('prints bug-check parameters whole: 64-bit kernel addresses are not cut to 32 bits', () => {
    const error: RunError = {
      kind: 'bugcheck',
      message: 'stopped',
      step: 3,
      callback: 'MiniportHaltEx',
      adapter: 'nic0',
      // 0xffffc60a1b2c3000 as ndis-sim holds it (the signed value of the canonical form).
      bugCheck: {
        code: 0xdc,
        name: 'DRIVER_INVALID_STACK_ACCESS',
        parameters: [-0x39f5e4d3d000, 1, 0, 0x12345678],
      },
      name: 'BugCheck',
      stack: [],
    };
    expect(formatRunError(error)).toBe(
      [
        '  BUGCHECK (in MiniportHaltEx, adapter nic0): stopped',
        '  bug check 0xDC (0xffffc60a1b2c3000, 0x1, 0x0, 0x12345678) DRIVER_INVALID_STACK_ACCESS',
      ].join('\n'),
    );
  });
});

describe('ruleCounts', () => {
  it('says each rule with its count, in order, and nothing when there is none', () => {
    expect(ruleCounts({ Leak_PoolMemory: 2, Pool_DoubleFree: 1 })).toBe(
      'Leak_PoolMemory x2, Pool_DoubleFree x1',
    );
    expect(ruleCounts({})).toBe('');
  });
});
