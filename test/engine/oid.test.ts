/**
 * The minimal OID path (src/engine/oid.ts): NDIS issues a request through MiniportOidRequest; a
 * PENDING return keeps it outstanding until NdisMOidRequestComplete; completions of requests that
 * are not pending are NdisOidDoubleComplete.
 */
import { describe, expect, it } from 'vitest';
import {
  DISPATCH_LEVEL,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import { NdisMOidRequestComplete } from '../../src/ndis/ports.js';
import { sim } from '../harness.js';
import { ruleIds } from './ports-helpers.js';

describe('engine.oid.request', () => {
  it('calls the handler as MiniportOidRequest with the adapter context and the request, and returns its status', () => {
    const s = sim();
    s.adapter.context = { mine: true };
    const request = { Oid: 0x00010202 };
    const seen: unknown[] = [];
    const status = s.engine.oid.request(
      s.adapter,
      (context, oid) => {
        seen.push(context, oid, s.engine.context.callback, s.engine.context.irql);
        return NDIS_STATUS_SUCCESS;
      },
      request,
      DISPATCH_LEVEL,
    );
    expect(status).toBe(NDIS_STATUS_SUCCESS);
    expect(seen).toEqual([{ mine: true }, request, 'MiniportOidRequest', DISPATCH_LEVEL]);
    expect(s.engine.oid.outstanding()).toBe(0);
    expect(s.engine.context.irql).toBe(0);
  });

  it('PENDING keeps the request outstanding until NdisMOidRequestComplete, which reports the status', () => {
    const s = sim();
    const completed: unknown[] = [];
    s.engine.oid.onComplete = (adapter, oid, status) => completed.push(adapter, oid, status);
    const request = {};
    expect(s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request)).toBe(NDIS_STATUS_PENDING);
    expect(s.engine.oid.pendingOn(s.adapter)).toBe(request);
    expect(s.engine.oid.outstanding(s.adapter)).toBe(1);
    s.at(DISPATCH_LEVEL, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    expect(s.engine.oid.pendingOn(s.adapter)).toBeNull();
    expect(completed).toEqual([s.adapter, request, NDIS_STATUS_SUCCESS]);
    expect(s.engine.violations).toEqual([]);
  });

  it('a completion from inside MiniportOidRequest before it returns PENDING completes the request', () => {
    const s = sim();
    const completed: unknown[] = [];
    s.engine.oid.onComplete = (_, __, status) => completed.push(status);
    const request = {};
    const status = s.engine.oid.request(
      s.adapter,
      (_, oid) => {
        NdisMOidRequestComplete(s.adapter, oid, 0xc0000001);
        return NDIS_STATUS_PENDING;
      },
      request,
    );
    expect(status).toBe(NDIS_STATUS_PENDING);
    expect(s.engine.oid.outstanding()).toBe(0);
    expect(completed).toEqual([0xc0000001]);
    expect(s.engine.violations).toEqual([]);
  });

  it('completing inside MiniportOidRequest and then returning a final status completes twice', () => {
    const s = sim();
    s.engine.oid.request(
      s.adapter,
      (_, oid) => {
        NdisMOidRequestComplete(s.adapter, oid, NDIS_STATUS_SUCCESS);
        return NDIS_STATUS_SUCCESS;
      },
      {},
    );
    expect(ruleIds(s)).toEqual(['NdisOidDoubleComplete']);
  });

  it('a missing handler: NOT_SUPPORTED, nothing is called', () => {
    const s = sim();
    expect(s.engine.oid.request(s.adapter, null, {})).toBe(NDIS_STATUS_NOT_SUPPORTED);
  });

  it('a handler that throws leaves nothing outstanding and unwinds the context', () => {
    const s = sim();
    expect(() =>
      s.engine.oid.request(
        s.adapter,
        () => {
          throw new Error('driver bug');
        },
        {},
        DISPATCH_LEVEL,
      ),
    ).toThrow('driver bug');
    expect(s.engine.oid.outstanding()).toBe(0);
    expect(s.engine.context.irql).toBe(0);
    expect(s.engine.context.depth).toBe(0);
  });
});

describe('NdisMOidRequestComplete', () => {
  it("for a request that is not pending (never pended, completed twice, another adapter's): NdisOidDoubleComplete", () => {
    const s = sim();
    const other = s.engine.createAdapter(s.driver, 'Other');
    const request = {};
    NdisMOidRequestComplete(s.adapter, {}, NDIS_STATUS_SUCCESS);
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    NdisMOidRequestComplete(other, request, NDIS_STATUS_SUCCESS);
    expect(s.engine.oid.pendingOn(s.adapter)).toBe(request);
    NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS);
    NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS);
    expect(ruleIds(s)).toEqual(['NdisOidDoubleComplete', 'NdisOidDoubleComplete', 'NdisOidDoubleComplete']);
  });

  it('a handle that is not a live adapter: Ndis_InvalidHandle, nothing completes', () => {
    const s = sim();
    const request = {};
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    NdisMOidRequestComplete({}, request, NDIS_STATUS_SUCCESS);
    expect(ruleIds(s)).toEqual(['Ndis_InvalidHandle']);
    expect(s.engine.oid.pendingOn(s.adapter)).toBe(request);
  });

  it('a Status that is not an NDIS_STATUS: Ddi_InvalidArgument; the request still completes', () => {
    const s = sim();
    const request = {};
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    NdisMOidRequestComplete(s.adapter, request, 'ok' as unknown as number);
    expect(ruleIds(s)).toEqual(['Ddi_InvalidArgument']);
    expect(s.engine.oid.outstanding()).toBe(0);
  });

  it('is checked against its documented IRQL (<= DISPATCH_LEVEL): Irql_NdisMOidRequestComplete', () => {
    const s = sim();
    const request = {};
    s.engine.oid.request(s.adapter, () => NDIS_STATUS_PENDING, request);
    s.at(3, () => NdisMOidRequestComplete(s.adapter, request, NDIS_STATUS_SUCCESS));
    expect(ruleIds(s)).toEqual(['Irql_NdisMOidRequestComplete']);
  });
});
