/**
 * NDIS spin locks. NDIS_SPIN_LOCK is storage the driver owns: here any object the driver passes to
 * NdisAllocateSpinLock (or, replaying a trace, the lock's address). The engine keeps its record of
 * that storage in a WeakMap (so frozen objects work and a lock of another run is simply unknown),
 * and the live records in a Set for leak reports.
 *
 * One processor: a lock that is held when it is acquired again can never be released (a deadlock
 * on real hardware). The acquire is reported and then proceeds as though the lock had been free,
 * so the run never hangs and a later balanced release behaves normally.
 */
import { DISPATCH, type Frame } from '../machine/context.js';
import { type SpinLockEvent, SpinLockOutcome } from '../verifier/events/sync.js';
import { captureSite, type SiteCapture } from '../verifier/site.js';
import type { Engine } from './engine.js';
import type { NdisObject } from './objects.js';
import type { Sync } from './sync.js';
import { driverOf, runningOwner } from './sync-owner.js';

/** How a held lock was acquired. */
export const HeldBy = { None: 0, Acquire: 1, DprAcquire: 2 } as const;
export type HeldBy = (typeof HeldBy)[keyof typeof HeldBy];

/** The engine's record of one NDIS_SPIN_LOCK. */
export class SpinLockState {
  held: HeldBy = HeldBy.None;
  /** The IRQL NdisAcquireSpinLock raised from (NDIS keeps it in the lock, as here). */
  oldIrql = 0;
  /** The callback frame that acquired it (SpinLock/SpinLockDpr: released before that callback returns). */
  holderFrame: Frame | null = null;
  /** Deinitialized by NdisFreeSpinLock (or replaced by a second NdisAllocateSpinLock). */
  freed = false;
  /** Index in SpinLocks.held while held, else -1. */
  heldAt = -1;
  constructor(
    /** The driver's storage (from a trace: its address). */
    readonly lock: LockKey,
    /** Ordinal of the lock in the run, for reports ("spin lock #3"). */
    readonly id: number,
    /** The adapter or driver whose callback allocated it (it takes no handle). */
    readonly owner: NdisObject | null,
    /** False for storage used without NdisAllocateSpinLock (tracked only to keep state consistent). */
    readonly allocated: boolean,
    readonly site: SiteCapture | null,
  ) {}
}

const LOCK_PARAMS: readonly string[] = ['SpinLock'];
const LOCK_EXPECTED = 'a pointer to NDIS_SPIN_LOCK storage (an object, or a nonzero address)';

/** What identifies the storage: the driver's object, or the nonzero address a trace recorded. */
export type LockKey = object | number | bigint;

function keyOf(value: unknown): LockKey | null {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') return value;
  if (typeof value === 'number') return Number.isInteger(value) && value !== 0 ? value : null;
  if (typeof value !== 'bigint' || value === 0n) return null;
  // One address, one key: the signed 64-bit form, as a number when exact (machine/address.ts).
  const signed = BigInt.asIntN(64, value);
  return signed >= MIN_SAFE && signed <= MAX_SAFE ? Number(signed) : signed;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The spin locks of one engine. */
export class SpinLocks {
  /** Every lock record, live or freed, by the driver's storage object. */
  private readonly records = new WeakMap<object, SpinLockState>();
  /** Records by address (traces); dropped when freed, so memory follows what is outstanding. */
  private readonly byAddress = new Map<number | bigint, SpinLockState>();
  /** Locks allocated and not freed. */
  readonly live = new Set<SpinLockState>();
  /** Locks currently held, in no order (usually empty: callback returns check it). An array with
   * each lock's index in it: cheaper than a Set on the acquire/release path. */
  readonly held: SpinLockState[] = [];
  private count = 0;
  private readonly event: SpinLockEvent = {
    ddi: '',
    irql: 0,
    SpinLock: undefined,
    lock: null,
    outcome: SpinLockOutcome.Ok,
  };

  constructor(
    private readonly engine: Engine,
    private readonly sync: Sync,
  ) {}

  /** NdisAllocateSpinLock: initializes the storage (re-initializing a live lock replaces it). */
  allocate(SpinLock: unknown): void {
    const engine = this.engine;
    const owner = runningOwner(engine);
    engine.enterDdi('NdisAllocateSpinLock', owner, SpinLock);
    const key = keyOf(SpinLock);
    if (key === null) {
      this.badStorage('NdisAllocateSpinLock', SpinLock, 'initializes nothing');
      return;
    }
    const old = this.find(key);
    const outcome =
      old !== undefined && old.held !== HeldBy.None ? SpinLockOutcome.FreeHeld : SpinLockOutcome.Ok;
    this.dispatch('NdisAllocateSpinLock', SpinLock, old ?? null, outcome);
    if (old !== undefined) this.retire(old);
    const site = engine.captureAllocationSites ? captureSite() : null;
    const state = new SpinLockState(key, ++this.count, owner, true, site);
    this.keep(key, state);
    this.live.add(state);
  }

  /** NdisAcquireSpinLock (`dpr` false: raises IRQL to DISPATCH) or NdisDprAcquireSpinLock. */
  acquire(ddi: string, SpinLock: unknown, dpr: boolean): void {
    const engine = this.engine;
    const key = keyOf(SpinLock);
    const state = key === null ? undefined : this.find(key);
    engine.enterDdi(ddi, state?.owner ?? runningOwner(engine), SpinLock);
    if (key === null) {
      this.badStorage(ddi, SpinLock, 'acquires nothing');
      return;
    }
    const lock = state ?? this.adopt(key);
    const outcome = !lock.allocated
      ? SpinLockOutcome.NotAllocated
      : lock.freed
        ? SpinLockOutcome.Freed
        : lock.held !== HeldBy.None
          ? SpinLockOutcome.AlreadyHeld
          : SpinLockOutcome.Ok;
    this.dispatch(ddi, SpinLock, lock, outcome);
    const context = engine.context;
    lock.oldIrql = context.irql;
    // Raising never lowers: above DISPATCH the IRQL rule has already reported the call.
    if (!dpr && context.irql < DISPATCH) context.irql = DISPATCH;
    lock.held = dpr ? HeldBy.DprAcquire : HeldBy.Acquire;
    lock.holderFrame = context.frame;
    if (lock.heldAt < 0) {
      lock.heldAt = this.held.length;
      this.held.push(lock);
    }
  }

  /** NdisReleaseSpinLock (`dpr` false: restores the IRQL saved in the lock) or NdisDprReleaseSpinLock. */
  release(ddi: string, SpinLock: unknown, dpr: boolean): void {
    const engine = this.engine;
    const key = keyOf(SpinLock);
    const state = key === null ? undefined : this.find(key);
    engine.enterDdi(ddi, state?.owner ?? runningOwner(engine), SpinLock);
    if (key === null) {
      this.badStorage(ddi, SpinLock, 'releases nothing');
      return;
    }
    const lock = state ?? null;
    const outcome =
      lock === null || !lock.allocated
        ? SpinLockOutcome.NotAllocated
        : lock.freed
          ? SpinLockOutcome.Freed
          : lock.held === HeldBy.None
            ? SpinLockOutcome.NotHeld
            : (lock.held === HeldBy.DprAcquire) !== dpr
              ? SpinLockOutcome.Mismatch
              : SpinLockOutcome.Ok;
    this.dispatch(ddi, SpinLock, lock, outcome);
    if (lock === null || lock.held === HeldBy.None) return;
    // NdisReleaseSpinLock lowers to what the lock saved (after NdisDprAcquireSpinLock, the IRQL it
    // was acquired at); NdisDprReleaseSpinLock leaves the IRQL alone, even after NdisAcquireSpinLock.
    if (!dpr) engine.context.irql = lock.oldIrql;
    this.drop(lock);
  }

  /** NdisFreeSpinLock: deinitializes the lock (a held lock is released first, IRQL unchanged). */
  free(SpinLock: unknown): void {
    const engine = this.engine;
    const key = keyOf(SpinLock);
    const state = key === null ? undefined : this.find(key);
    engine.enterDdi('NdisFreeSpinLock', state?.owner ?? runningOwner(engine), SpinLock);
    if (key === null) {
      this.badStorage('NdisFreeSpinLock', SpinLock, 'frees nothing');
      return;
    }
    const lock = state ?? null;
    const outcome =
      lock === null || !lock.allocated
        ? SpinLockOutcome.NotAllocated
        : lock.freed
          ? SpinLockOutcome.Freed
          : lock.held !== HeldBy.None
            ? SpinLockOutcome.FreeHeld
            : SpinLockOutcome.Ok;
    this.dispatch('NdisFreeSpinLock', SpinLock, lock, outcome);
    if (lock?.allocated && !lock.freed) this.retire(lock);
  }

  /** The record of `storage` (an object or an address), or undefined. */
  stateOf(storage: LockKey): SpinLockState | undefined {
    return this.find(storage);
  }

  /**
   * At a driver's unload, forgets its locks and its adapters' (see Sync.reclaim). An adapter's own
   * reclaim keeps them: drivers usually free spin locks only when unloading (NdisFreeSpinLock page).
   */
  reclaim(owner: NdisObject): void {
    if (owner.kind !== 'driver') return;
    for (const lock of [...this.live])
      if (lock.owner !== null && driverOf(lock.owner) === owner) this.retire(lock);
  }

  /** A SpinLock argument that is not storage at all (Ddi_InvalidArgument); the call does nothing. */
  private badStorage(ddi: string, SpinLock: unknown, outcome: string): void {
    const owner = runningOwner(this.engine);
    const args = [SpinLock];
    this.sync.misuse({
      ddi,
      kind: 'argument',
      params: LOCK_PARAMS,
      index: 0,
      args,
      expected: LOCK_EXPECTED,
      outcome,
      owner,
    });
  }

  /** Storage used without NdisAllocateSpinLock: a record that keeps acquire/release consistent. */
  private adopt(key: LockKey): SpinLockState {
    const state = new SpinLockState(key, ++this.count, runningOwner(this.engine), false, null);
    this.keep(key, state);
    return state;
  }

  private find(key: LockKey): SpinLockState | undefined {
    return typeof key === 'object' || typeof key === 'function'
      ? this.records.get(key)
      : this.byAddress.get(key);
  }

  private keep(key: LockKey, state: SpinLockState): void {
    if (typeof key === 'object' || typeof key === 'function') this.records.set(key, state);
    else this.byAddress.set(key, state);
  }

  private retire(lock: SpinLockState): void {
    if (lock.held !== HeldBy.None) this.drop(lock);
    lock.freed = true;
    this.live.delete(lock);
    const key = lock.lock;
    if (typeof key !== 'object' && typeof key !== 'function' && this.byAddress.get(key) === lock)
      this.byAddress.delete(key);
  }

  private drop(lock: SpinLockState): void {
    lock.held = HeldBy.None;
    lock.holderFrame = null;
    const held = this.held;
    const last = held.pop() as SpinLockState;
    if (last !== lock) {
      held[lock.heldAt] = last;
      last.heldAt = lock.heldAt;
    }
    lock.heldAt = -1;
  }

  private dispatch(
    ddi: string,
    SpinLock: unknown,
    lock: SpinLockState | null,
    outcome: SpinLockOutcome,
  ): void {
    const engine = this.engine;
    const e = this.event;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.SpinLock = SpinLock;
    e.lock = lock;
    e.outcome = outcome;
    engine.verifier.on.spinLock(engine.verifier, e);
    e.SpinLock = undefined;
    e.lock = null;
  }
}
