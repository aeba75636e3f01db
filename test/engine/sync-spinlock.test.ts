/** Spin locks: IRQL raise and restore, the Dpr variants, and state kept consistent after misuse. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { activate } from '../../src/ndis/active.js';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisDprAcquireSpinLock,
  NdisDprReleaseSpinLock,
  NdisFreeSpinLock,
  NdisReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { inInitialize } from './sync-helpers.js';

const PASSIVE = 0;
const APC = 1;
const DISPATCH = 2;

describe('spin locks', () => {
  it('NdisAcquireSpinLock raises to DISPATCH_LEVEL, keeps the old IRQL in the lock, NdisReleaseSpinLock restores it', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    for (const start of [PASSIVE, APC, DISPATCH]) {
      s.at(start, () => {
        NdisAllocateSpinLock(lock);
        NdisAcquireSpinLock(lock);
        expect(s.engine.context.irql).toBe(DISPATCH);
        expect(s.engine.sync.locks.stateOf(lock)?.oldIrql).toBe(start);
        NdisReleaseSpinLock(lock);
        expect(s.engine.context.irql).toBe(start);
        NdisFreeSpinLock(lock);
      });
    }
    expect(s.engine.violations).toEqual([]);
  });

  it('nested locks released in reverse order end at the caller IRQL; the order the docs warn about is reproduced', () => {
    const s = sim();
    const a: NDIS_SPIN_LOCK = {};
    const b: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE, () => {
      NdisAllocateSpinLock(a);
      NdisAllocateSpinLock(b);
      NdisAcquireSpinLock(a);
      NdisAcquireSpinLock(b);
      NdisReleaseSpinLock(b);
      expect(s.engine.context.irql).toBe(DISPATCH);
      NdisReleaseSpinLock(a);
      expect(s.engine.context.irql).toBe(PASSIVE);
      // Acquire A, acquire B, release A, release B: PASSIVE between the releases, DISPATCH after.
      NdisAcquireSpinLock(a);
      NdisAcquireSpinLock(b);
      NdisReleaseSpinLock(a);
      expect(s.engine.context.irql).toBe(PASSIVE);
      NdisReleaseSpinLock(b);
      expect(s.engine.context.irql).toBe(DISPATCH);
    });
    // Only the second release is wrong: it runs at PASSIVE_LEVEL, then leaves the caller at DISPATCH.
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Irql_NdisReleaseSpinLock']);
  });

  it('the Dpr variants require DISPATCH_LEVEL and leave the IRQL alone', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH, () => {
      NdisAllocateSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH);
      expect(s.engine.sync.locks.held.length).toBe(1);
      NdisDprReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH);
      expect(s.engine.sync.locks.held.length).toBe(0);
    });
    expect(s.engine.violations).toEqual([]);
    s.at(PASSIVE, () => NdisDprAcquireSpinLock(lock));
    expect(s.engine.context.irql).toBe(PASSIVE);
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Irql_NdisDprAcquireSpinLock']);
  });

  it('each DDI announces itself to the IRQL rules (release at PASSIVE_LEVEL is reported)', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE, () => {
      NdisAllocateSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Irql_NdisReleaseSpinLock', 'SpinLockRelease']);
  });

  it('frozen storage works, and the record is per run: storage initialized in another engine is unknown here', () => {
    const s = sim();
    const lock = Object.freeze({}) as NDIS_SPIN_LOCK;
    s.at(PASSIVE, () => NdisAllocateSpinLock(lock));
    const other = new Engine();
    activate(other);
    other.context.run('MiniportTest', null, null, PASSIVE, () => {
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expect(other.violations.map((v) => v.rule)).toEqual(['SpinLock_NotAllocated', 'SpinLock_NotAllocated']);
    expect(other.context.irql).toBe(PASSIVE);
    activate(s.engine);
    expect(s.engine.sync.locks.stateOf(lock)?.held).toBe(0);
  });

  it('a recursive acquire is reported and does not hang; the balanced release afterwards works', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expect(s.findings('SpinLock')).toHaveLength(1);
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('a callback that returns with a lock held: reported, IRQL restored by the return, the lock stays held', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
    });
    expect(s.engine.context.irql).toBe(PASSIVE);
    expect(s.findings('SpinLock')).toHaveLength(1);
    expect(s.engine.sync.locks.stateOf(lock)?.held).toBe(1);
    // A later acquire in another callback finds it held (a deadlock on real hardware) and goes on.
    s.engine.invoke('MiniportRestart', s.driver, s.adapter, PASSIVE, () => {
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(PASSIVE);
    });
    expect(s.findings('SpinLock')).toHaveLength(2);
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('several held locks: releasing one in the middle leaves exactly the others reported at return', () => {
    const s = sim();
    const [a, b, c]: NDIS_SPIN_LOCK[] = [{}, {}, {}];
    s.engine.invoke('NdisTimerFunction', s.driver, s.adapter, DISPATCH, () => {
      for (const lock of [a, b, c]) {
        NdisAllocateSpinLock(lock);
        NdisDprAcquireSpinLock(lock);
      }
      NdisDprReleaseSpinLock(b);
    });
    expect(
      s
        .findings('SpinLockDpr')
        .map((v) => v.args.SpinLock)
        .sort(),
    ).toEqual(['spin lock #1', 'spin lock #3']);
    expect(s.engine.sync.locks.held.map((l) => l.id).sort()).toEqual([1, 3]);
    s.at(DISPATCH, () => {
      NdisDprReleaseSpinLock(a);
      NdisDprReleaseSpinLock(c);
    });
    expect(s.engine.sync.locks.held).toEqual([]);
  });

  it('a lock acquired in an outer callback is not reported when an inner callback returns', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      s.engine.invoke('MiniportCallback', s.driver, s.adapter, DISPATCH, () => {});
      NdisReleaseSpinLock(lock);
    });
    expect(s.engine.violations).toEqual([]);
  });

  it('locks are charged to the running callback adapter (or driver); the driver reclaim forgets them', () => {
    const s = sim();
    const a: NDIS_SPIN_LOCK = {};
    const d: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => NdisAllocateSpinLock(a));
    s.engine.invoke('DriverEntry', s.driver, null, PASSIVE, () => NdisAllocateSpinLock(d));
    expect(s.engine.sync.locks.stateOf(a)?.owner).toBe(s.adapter);
    expect(s.engine.sync.locks.stateOf(d)?.owner).toBe(s.driver);
    // An adapter's reclaim keeps its locks (due at unload); the driver's forgets both.
    s.engine.sync.reclaim(s.adapter);
    expect([...s.engine.sync.locks.live].map((l) => l.owner)).toEqual([s.adapter, s.driver]);
    s.engine.sync.reclaim(s.driver);
    expect(s.engine.sync.locks.live.size).toBe(0);
  });

  it('a non-object SpinLock is Ddi_InvalidArgument and changes nothing, never a TypeError', () => {
    const s = sim();
    for (const bad of [null, undefined, 0, 1.5, 0n, 'lock']) {
      s.at(PASSIVE, () => {
        NdisAllocateSpinLock(bad as unknown as NDIS_SPIN_LOCK);
        NdisAcquireSpinLock(bad as unknown as NDIS_SPIN_LOCK);
        NdisReleaseSpinLock(bad as unknown as NDIS_SPIN_LOCK);
        NdisFreeSpinLock(bad as unknown as NDIS_SPIN_LOCK);
      });
      expect(s.engine.context.irql).toBe(PASSIVE);
    }
    const found = s.engine.violations.filter((v) => v.rule === 'Ddi_InvalidArgument');
    expect(found).toHaveLength(24);
    expect(found[0].message).toContain(
      'NdisAllocateSpinLock: SpinLock NULL is not a pointer to NDIS_SPIN_LOCK storage',
    );
    expect(found[0].args).toEqual({ SpinLock: 'NULL' });
  });

  it('a trace names a lock by its address: the same rules apply, and a freed address record is dropped', () => {
    const s = sim();
    const address = -0x39f5e4d3d000; // 0xffffc60a1b2c3000
    s.at(PASSIVE, () => {
      NdisAllocateSpinLock(address as never);
      NdisAcquireSpinLock(address as never);
      expect(s.engine.context.irql).toBe(DISPATCH);
      NdisAcquireSpinLock(0xffffc60a1b2c3000n as never); // the same address, unsigned, as a bigint
      NdisReleaseSpinLock(address as never);
      NdisFreeSpinLock(address as never);
    });
    expect(s.engine.context.irql).toBe(PASSIVE);
    expect(s.engine.violations.map((v) => [v.rule, v.args.SpinLock])).toEqual([
      ['SpinLock', 'spin lock #1 at 0xffffc60a1b2c3000'],
    ]);
    expect(s.engine.sync.locks.stateOf(address)).toBeUndefined();
  });
});
