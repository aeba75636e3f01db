/**
 * WriteErrorLog (official): when NdisMAllocateSharedMemory fails inside MiniportInitializeEx, the
 * driver calls NdisWriteErrorLogEntry before MiniportInitializeEx returns. The rule remembers the
 * first unlogged failure per adapter (its own state, never the engine's) and checks at the return.
 */
import type { MiniportAdapter } from '../../../engine/objects.js';
import { DEVTEST, rule } from '../../rule.js';
import { describeBoolean } from './args.js';

interface Unlogged {
  readonly Length: unknown;
  readonly Cached: unknown;
  readonly count: number;
}

/** Failures not yet followed by an error-log entry, per adapter (weak: adapters of finished runs go). */
const unlogged = new WeakMap<MiniportAdapter, Unlogged>();

export const WriteErrorLog = rule({
  id: 'WriteErrorLog',
  title:
    'A failed NdisMAllocateSharedMemory in MiniportInitializeEx is followed by NdisWriteErrorLogEntry before MiniportInitializeEx returns.',
  link: `${DEVTEST}ndis-writeerrorlog`,
  severity: 'warning',
  observe: {
    sharedAllocated(_v, e) {
      if (e.VirtualAddress !== 0 || !e.withinInitialize || e.owner === null) return;
      const earlier = unlogged.get(e.owner);
      unlogged.set(
        e.owner,
        earlier ? { ...earlier, count: earlier.count + 1 } : { Length: e.Length, Cached: e.Cached, count: 1 },
      );
    },
    errorLog(_v, e) {
      if (e.owner !== null) unlogged.delete(e.owner);
    },
    callbackReturn(v, e) {
      if (e.callback !== 'MiniportInitializeEx' || e.adapter === null) return;
      const failure = unlogged.get(e.adapter);
      if (failure === undefined) return;
      unlogged.delete(e.adapter);
      const times = failure.count === 1 ? '' : ` (${failure.count} failed allocations)`;
      v.report(
        WriteErrorLog,
        `NdisMAllocateSharedMemory failed in MiniportInitializeEx${times} and MiniportInitializeEx returned without calling NdisWriteErrorLogEntry.`,
        {
          ddi: 'NdisMAllocateSharedMemory',
          args: {
            MiniportAdapterHandle: e.adapter.name,
            Length: failure.Length,
            Cached: describeBoolean(failure.Cached),
          },
          owner: e.adapter,
        },
      );
    },
  },
});
