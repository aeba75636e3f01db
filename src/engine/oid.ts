/**
 * OID requests to miniport adapters, as far as the port rules need them: NDIS (the host) issues a
 * request through the driver's MiniportOidRequest; a PENDING return leaves it outstanding until the
 * driver calls NdisMOidRequestComplete. NdisMNetPnPEventInOIDRequest asks whether a call runs
 * inside MiniportOidRequest or while a pended request is outstanding; NdisOidDoubleComplete
 * observes completions of requests that are not pending.
 */

import { formatAddress } from '../machine/address.js';
import { NDIS_STATUS_NOT_SUPPORTED, NDIS_STATUS_PENDING } from '../ndis/constants.js';
import type { MINIPORT_OID_REQUEST } from '../ndis/types.js';
import { type OidCompleteEvent, OidCompletion } from '../verifier/events/ports.js';
import type { Engine } from './engine.js';
import { statusOf } from './lifecycle-states.js';
import { adapterOf, type MiniportAdapter } from './objects.js';

/** A request while MiniportOidRequest runs for it. */
interface InProgress {
  readonly adapter: MiniportAdapter;
  /** NdisMOidRequestComplete already called for it (before MiniportOidRequest returned). */
  completed: boolean;
  Status: unknown;
}

/**
 * An OID request of a replayed trace: the NDIS_OID_REQUEST pointer the trace gives, standing for
 * the request object (one per outstanding pointer; reports show the pointer).
 */
export class ReplayedOidRequest {
  constructor(readonly pointer: number) {}
  get name(): string {
    return formatAddress(this.pointer);
  }
}

/** Told of each completion of a pended request (the host's view of NDIS completing the OID). */
export type OidCompletionListener = (adapter: MiniportAdapter, OidRequest: object, Status: unknown) => void;

/** Outstanding OID requests of one engine. */
export class OidRequests {
  /** Called for every completed pended request (NDIS completing the OID to its issuer). */
  onComplete: OidCompletionListener | null = null;
  /** Requests the driver pended and has not completed, and the adapter they are pending on. */
  private readonly pending = new Map<object, MiniportAdapter>();
  /** Requests whose MiniportOidRequest is running. */
  private readonly running = new Map<object, InProgress>();
  /** Replay: the request object of each outstanding NDIS_OID_REQUEST pointer. */
  private readonly replayed = new Map<number, ReplayedOidRequest>();
  private readonly completeEvent: OidCompleteEvent = {
    ddi: 'NdisMOidRequestComplete',
    irql: 0,
    MiniportAdapterHandle: null,
    OidRequest: null,
    Status: undefined,
    owner: null,
    outcome: OidCompletion.Ok,
  };

  constructor(readonly engine: Engine) {}

  /**
   * Issues `OidRequest` (an NDIS_OID_REQUEST: any object) to `adapter` through `handler` (the
   * driver's OidRequestHandler) as MiniportOidRequest at `irql` (PASSIVE by default; the page allows
   * up to DISPATCH). Returns the handler's status; PENDING leaves the request outstanding until
   * NdisMOidRequestComplete. A missing handler: NDIS_STATUS_NOT_SUPPORTED, the driver is not called.
   */
  request(
    adapter: MiniportAdapter,
    handler: MINIPORT_OID_REQUEST | null | undefined,
    OidRequest: object,
    irql = 0,
  ): number {
    if (OidRequest === null || typeof OidRequest !== 'object') {
      throw new TypeError(
        'ndis-sim: OidRequest must be an object (the NDIS_OID_REQUEST NDIS passes to MiniportOidRequest).',
      );
    }
    if (typeof handler !== 'function') return NDIS_STATUS_NOT_SUPPORTED;
    const progress: InProgress = { adapter, completed: false, Status: undefined };
    this.running.set(OidRequest, progress);
    let status: number;
    try {
      // A recorder logs the request by its pointer: replay knows a request by it (trace format).
      status = this.engine.invoke(
        'MiniportOidRequest',
        adapter.driver,
        adapter,
        irql,
        () => handler(adapter.context, OidRequest),
        { OidRequest },
      );
    } finally {
      this.running.delete(OidRequest);
    }
    this.returned(adapter, OidRequest, progress, status);
    return status;
  }

  /** MiniportOidRequest returned `status` for `OidRequest`. */
  private returned(
    adapter: MiniportAdapter,
    OidRequest: object,
    progress: InProgress,
    status: unknown,
  ): void {
    if (status === NDIS_STATUS_PENDING) {
      if (progress.completed) this.onComplete?.(adapter, OidRequest, progress.Status);
      else this.pending.set(OidRequest, adapter);
    } else if (progress.completed) {
      // Completed through NdisMOidRequestComplete, then completed again by returning a final status.
      this.dispatch('MiniportOidRequest', adapter, adapter, OidRequest, status, OidCompletion.NotPending);
    }
  }

  /**
   * Replay: a trace entered MiniportOidRequest of `adapter` for the NDIS_OID_REQUEST at `pointer`
   * (the callback's frame is the trace's own). The request runs until replayExit.
   */
  replayEnter(adapter: MiniportAdapter, pointer: number): void {
    let request = this.replayed.get(pointer);
    if (request === undefined) {
      request = new ReplayedOidRequest(pointer);
      this.replayed.set(pointer, request);
    }
    this.running.set(request, { adapter, completed: false, Status: undefined });
  }

  /** Replay: MiniportOidRequest returned `status` for the request at `pointer`. */
  replayExit(pointer: number, status: unknown): void {
    const request = this.replayed.get(pointer);
    const progress = request === undefined ? undefined : this.running.get(request);
    if (request === undefined || progress === undefined) return;
    this.running.delete(request);
    this.returned(progress.adapter, request, progress, status);
    this.forget(request);
  }

  /** Replay: what NdisMOidRequestComplete's OidRequest pointer stands for (the pointer if no request is outstanding there). */
  replayedRequest(pointer: number): ReplayedOidRequest | number {
    return this.replayed.get(pointer) ?? pointer;
  }

  /** Drops a replayed request's object once nothing refers to it (memory stays with what is outstanding). */
  private forget(request: object): void {
    if (request instanceof ReplayedOidRequest && !this.running.has(request) && !this.pending.has(request))
      this.replayed.delete(request.pointer);
  }

  /** A request the driver pended on `adapter` and has not completed, or null. */
  pendingOn(adapter: MiniportAdapter): object | null {
    if (this.pending.size === 0) return null;
    for (const [request, on] of this.pending) if (on === adapter) return request;
    return null;
  }

  /** Requests pended on `adapter` (all adapters if omitted) and not completed. */
  outstanding(adapter?: MiniportAdapter): number {
    if (adapter === undefined) return this.pending.size;
    let count = 0;
    for (const on of this.pending.values()) if (on === adapter) count++;
    return count;
  }

  /** NdisMOidRequestComplete. */
  complete(MiniportAdapterHandle: unknown, OidRequest: unknown, Status: unknown): void {
    const engine = this.engine;
    const owner = adapterOf(engine, MiniportAdapterHandle);
    engine.enterDdi('NdisMOidRequestComplete', owner, MiniportAdapterHandle, OidRequest, Status);
    if (owner === null) {
      const outcome = 'nothing is completed';
      engine.ports.misuse(
        'NdisMOidRequestComplete',
        'handle',
        0,
        outcome,
        null,
        MiniportAdapterHandle,
        OidRequest,
        Status,
      );
      return;
    }
    // An NDIS_STATUS: a 32-bit int, signed (from C) or as its unsigned pattern.
    if (statusOf(Status) === -1) {
      const outcome = 'the request is still completed';
      engine.ports.misuse(
        'NdisMOidRequestComplete',
        'argument',
        2,
        outcome,
        owner,
        MiniportAdapterHandle,
        OidRequest,
        Status,
      );
    }
    const key = OidRequest !== null && typeof OidRequest === 'object' ? OidRequest : null;
    const progress = key === null ? undefined : this.running.get(key);
    let outcome: OidCompletion = OidCompletion.NotPending;
    if (progress !== undefined && progress.adapter === owner && !progress.completed)
      outcome = OidCompletion.Ok;
    else if (key !== null && this.pending.get(key) === owner) outcome = OidCompletion.Ok;
    this.dispatch('NdisMOidRequestComplete', MiniportAdapterHandle, owner, OidRequest, Status, outcome);
    if (outcome !== OidCompletion.Ok) return;
    if (progress !== undefined) {
      // Completed before MiniportOidRequest returned PENDING: done once it does.
      progress.completed = true;
      progress.Status = Status;
      return;
    }
    this.pending.delete(key as object);
    this.forget(key as object);
    this.onComplete?.(owner, key as object, Status);
  }

  private dispatch(
    ddi: OidCompleteEvent['ddi'],
    handle: unknown,
    owner: MiniportAdapter,
    OidRequest: unknown,
    Status: unknown,
    outcome: OidCompletion,
  ): void {
    const engine = this.engine;
    const e = this.completeEvent;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.MiniportAdapterHandle = handle;
    e.OidRequest = OidRequest;
    e.Status = Status;
    e.owner = owner;
    e.outcome = outcome;
    engine.verifier.on.oidComplete(engine.verifier, e);
  }
}
