/**
 * Properties of the provider family: whatever a JavaScript caller passes, the three DDIs return a
 * documented status (never a TypeError), AllocationHandle is NULL exactly when the status is not
 * SUCCESS, and random allocate/free sequences (HAL and provider) keep the accounting equal to a plain
 * model and give every HAL page back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import {
  NdisAllocateSharedMemory,
  NdisFreeSharedMemory,
  NdisSetOptionalHandlers,
} from '../../src/ndis/provider.js';
import type { NDIS_HANDLE, NDIS_SHARED_MEMORY_PARAMETERS } from '../../src/ndis/types.js';
import { sim } from '../harness.js';
import {
  characteristics,
  inSetOptions,
  PAGE,
  parameters,
  recordingProvider,
  registerDma,
} from './provider-fixture.js';

const ALLOCATE_STATUSES = [
  NDIS_STATUS_SUCCESS,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_FAILURE,
];
const MEMBERS = [
  'Header',
  'Flags',
  'QueueId',
  'PreferredNode',
  'Usage',
  'Length',
  'SGListBufferLength',
  'SGListBuffer',
  'VPortId',
] as const;

/** Documented parameters with some members replaced by anything at all. */
const oddParameters = fc
  .record({
    replace: fc.subarray([...MEMBERS]),
    values: fc.array(fc.anything(), { minLength: MEMBERS.length, maxLength: MEMBERS.length }),
    length: fc.integer({ min: 1, max: 5 * PAGE }),
  })
  .map(({ replace, values, length }) => {
    const p = parameters(length, 8) as unknown as Record<string, unknown>;
    replace.forEach((name, i) => {
      p[name] = values[i];
    });
    return p;
  });

describe('provider DDIs never throw on odd input', () => {
  it('NdisAllocateSharedMemory returns a documented status; AllocationHandle is NULL exactly on failure', () => {
    const s = sim();
    registerDma(s);
    const handles: unknown[] = [s.adapter, s.driver];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...handles), fc.anything()),
        fc.oneof({ weight: 4, arbitrary: oddParameters }, { weight: 1, arbitrary: fc.anything() }),
        fc.boolean(),
        (handle, p, withProvider) => {
          if (withProvider && s.engine.provider.providerOf(s.driver) === undefined) {
            inSetOptions(s, recordingProvider(s).structure);
          }
          const result = s.at(0, () =>
            NdisAllocateSharedMemory(handle as NDIS_HANDLE, p as NDIS_SHARED_MEMORY_PARAMETERS),
          );
          expect(ALLOCATE_STATUSES).toContain(result.Status);
          expect(result.AllocationHandle === null).toBe(result.Status !== NDIS_STATUS_SUCCESS);
          if (result.AllocationHandle !== null) {
            s.at(0, () => NdisFreeSharedMemory(handle as NDIS_HANDLE, result.AllocationHandle));
          }
        },
      ),
    );
    expect(s.engine.provider.total.liveCount).toBe(0);
  });

  it('NdisSetOptionalHandlers and NdisFreeSharedMemory accept anything', () => {
    const s = sim();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.boolean(), (a, b, inside) => {
        const status = inside
          ? inSetOptions(s, b as object, a as NDIS_HANDLE)
          : s.at(0, () => NdisSetOptionalHandlers(a as NDIS_HANDLE, b as object));
        expect([NDIS_STATUS_SUCCESS, NDIS_STATUS_FAILURE, NDIS_STATUS_NOT_SUPPORTED]).toContain(status);
        s.at(0, () => NdisFreeSharedMemory(a as NDIS_HANDLE, b as NDIS_HANDLE));
      }),
    );
    // A provider whose members are odd values is never registered.
    expect(inSetOptions(s, characteristics(1, 2))).toBe(NDIS_STATUS_FAILURE);
  });
});

type Op =
  | { kind: 'allocate'; length: number; contiguous: boolean; driver: boolean }
  | { kind: 'free'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('allocate' as const),
    length: fc.integer({ min: 1, max: 6 * PAGE }),
    contiguous: fc.boolean(),
    driver: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
);

describe('accounting', () => {
  it.each([
    ['HAL memory', false],
    ['a provider', true],
  ])('random allocate/free sequences with %s match a model and give every page back', (_, withProvider) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const s = sim({ captureAllocationSites: false });
        registerDma(s);
        if (withProvider) inSetOptions(s, recordingProvider(s).structure);
        const used = s.engine.physical.usedPages;
        const live: { handle: NDIS_HANDLE; owner: NDIS_HANDLE; length: number }[] = [];
        for (const o of ops) {
          if (o.kind === 'allocate') {
            const owner = o.driver ? s.driver : s.adapter;
            const pages = Math.ceil(o.length / PAGE);
            const p = parameters(o.length, pages, { Flags: o.contiguous ? 1 : 0 });
            const r = s.at(0, () => NdisAllocateSharedMemory(owner, p));
            expect(r.Status).toBe(NDIS_STATUS_SUCCESS);
            live.push({ handle: r.AllocationHandle, owner, length: o.length });
          } else if (live.length > 0) {
            const [block] = live.splice(o.pick % live.length, 1);
            s.at(0, () => NdisFreeSharedMemory(block.owner, block.handle));
          }
          const bytes = live.reduce((sum, b) => sum + b.length, 0);
          expect(s.engine.provider.total.liveCount).toBe(live.length);
          expect(s.engine.provider.total.liveBytes).toBe(bytes);
        }
        for (const block of live) s.at(0, () => NdisFreeSharedMemory(block.owner, block.handle));
        expect(s.engine.physical.usedPages).toBe(used);
        expect(s.engine.violations).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
