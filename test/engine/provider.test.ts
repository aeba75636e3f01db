/**
 * The provider family's documented outcomes (SPEC §6, D17-D25): every status and out value of
 * NdisSetOptionalHandlers and NdisAllocateSharedMemory, each invalid member of the parameters on its
 * own, the provider's handlers called at PASSIVE in the caller's context with the documented
 * arguments, and HAL memory (D24): real bytes, SG layout, address limit, unusable after the free.
 */
import { describe, expect, it } from 'vitest';
import { FOUR_GIB } from '../../src/machine/physical.js';
import { readUInt32LE, writeUInt32LE } from '../../src/ndis/access.js';
import { activate } from '../../src/ndis/active.js';
import {
  MM_ANY_NODE_OK,
  NDIS_SHARED_MEM_PARAMETERS_CONTIGOUS,
  NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS,
  NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS,
  NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NdisSharedMemoryUsageMax,
  NdisSharedMemoryUsageOther,
} from '../../src/ndis/constants.js';
import {
  NdisAllocateSharedMemory,
  NdisFreeSharedMemory,
  NdisSetOptionalHandlers,
} from '../../src/ndis/provider.js';
import type { NDIS_SHARED_MEMORY_PARAMETERS, SCATTER_GATHER_LIST } from '../../src/ndis/types.js';
import { type Sim, sim } from '../harness.js';
import {
  characteristics,
  DISPATCH_LEVEL,
  inSetOptions,
  PAGE,
  PASSIVE_LEVEL,
  parameters,
  recordingProvider,
  registerDma,
} from './provider-fixture.js';

const noop = () => {};
const ok = () => ({ Status: NDIS_STATUS_SUCCESS, SharedMemoryProviderContext: null });

function rules(s: Sim): string[] {
  return s.engine.violations.map((v) => v.rule);
}

function allocate(s: Sim, p: unknown, handle: unknown = s.adapter, irql = PASSIVE_LEVEL) {
  return s.at(irql, () => NdisAllocateSharedMemory(handle as never, p as NDIS_SHARED_MEMORY_PARAMETERS));
}

describe('NdisSetOptionalHandlers outcomes', () => {
  it('SUCCESS: a provider registered in MiniportSetOptions with the driver handle; later registrations replace it', () => {
    const s = sim();
    const first = characteristics(ok, noop, 'first', NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS);
    expect(inSetOptions(s, first)).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.provider.providerOf(s.driver)?.providerContext).toBe('first');
    expect(s.engine.provider.providerOf(s.driver)?.flags).toBe(1);
    // NDIS keeps its own copy: changing the driver's structure afterwards changes nothing.
    first.ProviderContext = 'changed';
    expect(s.engine.provider.providerOf(s.driver)?.providerContext).toBe('first');
    expect(inSetOptions(s, characteristics(ok, noop, 'second'))).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.provider.providerOf(s.driver)?.providerContext).toBe('second');
    expect(s.engine.violations).toEqual([]);
  });

  it('SUCCESS: Size larger than the revision size (sizeof, D17); other optional-handler structures are accepted unmodelled', () => {
    const s = sim();
    const larger = characteristics(ok, noop);
    larger.Header.Size = 40;
    expect(inSetOptions(s, larger)).toBe(NDIS_STATUS_SUCCESS);
    expect(inSetOptions(s, { Header: { Type: 0x92, Revision: 1, Size: 48 } })).toBe(NDIS_STATUS_SUCCESS);
    expect(inSetOptions(s, { Header: { Type: 0x80, Revision: 2, Size: 4 } })).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.violations).toEqual([]);
  });

  it('RESOURCES: the fault hook fails the call (SPEC §9.2); nothing is registered and nothing is reported', () => {
    const s = sim({ faults: (r) => r.ddi === 'NdisSetOptionalHandlers' });
    expect(inSetOptions(s, characteristics(ok, noop))).toBe(NDIS_STATUS_RESOURCES);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    expect(s.engine.violations).toEqual([]);
  });

  it('NOT_SUPPORTED: a handle that is no registered miniport driver, or a driver registered below NDIS 6.20', () => {
    const s = sim();
    expect(inSetOptions(s, characteristics(ok, noop), { forged: true } as never)).toBe(
      NDIS_STATUS_NOT_SUPPORTED,
    );
    (s.driver as unknown as { characteristics: unknown }).characteristics = {
      MajorNdisVersion: 6,
      MinorNdisVersion: 1,
    };
    expect(inSetOptions(s, characteristics(ok, noop))).toBe(NDIS_STATUS_NOT_SUPPORTED);
    // Other structures are not version-gated here.
    expect(inSetOptions(s, { Header: { Type: 0x92, Revision: 1, Size: 48 } })).toBe(NDIS_STATUS_SUCCESS);
    (s.driver as unknown as { characteristics: unknown }).characteristics = {
      MajorNdisVersion: 6,
      MinorNdisVersion: 20,
    };
    expect(inSetOptions(s, characteristics(ok, noop))).toBe(NDIS_STATUS_SUCCESS);
    expect(rules(s)).toEqual(['NdisSetOptionalHandlers_Context']);
  });

  it.each([
    [
      'outside MiniportSetOptions',
      (s: Sim) => s.at(PASSIVE_LEVEL, () => NdisSetOptionalHandlers(s.driver, characteristics(ok, noop))),
    ],
    ['with the adapter handle', (s: Sim) => inSetOptions(s, characteristics(ok, noop), s.adapter)],
    [
      "with another driver's handle",
      (s: Sim) => inSetOptions(s, characteristics(ok, noop), s.engine.createDriver('Other')),
    ],
  ])('FAILURE: called %s (D25)', (_, call) => {
    const s = sim();
    expect(call(s)).toBe(NDIS_STATUS_FAILURE);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    expect(rules(s)).toEqual(['NdisSetOptionalHandlers_Context']);
  });

  const badStructures: [string, (c: Record<string, unknown>) => unknown, string][] = [
    ['OptionalHandlers NULL', () => null, 'NdisSetOptionalHandlers_InvalidHeader'],
    ['OptionalHandlers a number', () => 7, 'NdisSetOptionalHandlers_InvalidHeader'],
    ['no Header', (c) => ({ ...c, Header: undefined }), 'NdisSetOptionalHandlers_InvalidHeader'],
    [
      'Header.Type not a UCHAR',
      (c) => ({ ...c, Header: { Type: 256, Revision: 1, Size: 32 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    [
      'Header.Type of a non-optional structure',
      () => ({ Header: { Type: 0x8a, Revision: 1, Size: 136 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    [
      'provider Revision 2',
      (c) => ({ ...c, Header: { Type: 0xb0, Revision: 2, Size: 32 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    [
      'provider Size 31',
      (c) => ({ ...c, Header: { Type: 0xb0, Revision: 1, Size: 31 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    [
      'other structure with Revision 0',
      () => ({ Header: { Type: 0x92, Revision: 0, Size: 48 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    [
      'other structure with Size 3',
      () => ({ Header: { Type: 0x92, Revision: 1, Size: 3 } }),
      'NdisSetOptionalHandlers_InvalidHeader',
    ],
    ['Flags 0x2 (D22)', (c) => ({ ...c, Flags: 2 }), 'SharedMemoryProvider_InvalidCharacteristics'],
    ['Flags not a ULONG', (c) => ({ ...c, Flags: -1 }), 'SharedMemoryProvider_InvalidCharacteristics'],
    [
      'no AllocateSharedMemoryHandler',
      (c) => ({ ...c, AllocateSharedMemoryHandler: null }),
      'SharedMemoryProvider_InvalidCharacteristics',
    ],
    [
      'FreeSharedMemoryHandler not a function',
      (c) => ({ ...c, FreeSharedMemoryHandler: 'free' }),
      'SharedMemoryProvider_InvalidCharacteristics',
    ],
  ];

  it.each(badStructures)('FAILURE: %s', (_, make, rule) => {
    const s = sim();
    const structure = make(characteristics(ok, noop) as unknown as Record<string, unknown>);
    expect(inSetOptions(s, structure as object)).toBe(NDIS_STATUS_FAILURE);
    expect(s.engine.provider.providerOf(s.driver)).toBeUndefined();
    expect(rules(s)).toEqual([rule]);
  });

  it('checks its IRQL through the IRQL table (Irql_Miscellaneous_Function)', () => {
    const s = sim();
    s.engine.invoke('MiniportSetOptions', s.driver, null, DISPATCH_LEVEL, () =>
      NdisSetOptionalHandlers(s.driver, characteristics(ok, noop)),
    );
    expect(rules(s)).toEqual(['Irql_Miscellaneous_Function']);
  });
});

describe('NdisAllocateSharedMemory: each invalid member of the parameters, one by one', () => {
  type Case = [string, (p: NDIS_SHARED_MEMORY_PARAMETERS) => unknown];
  const set =
    (more: Record<string, unknown>) =>
    (p: NDIS_SHARED_MEMORY_PARAMETERS): unknown => ({ ...p, ...more });
  const header =
    (more: Record<string, unknown>) =>
    (p: NDIS_SHARED_MEMORY_PARAMETERS): unknown => ({ ...p, Header: { ...p.Header, ...more } });
  const cases: Case[] = [
    ['SharedMemoryParameters NULL', () => null],
    ['SharedMemoryParameters a number', () => 0x1000],
    ['SharedMemoryParameters frozen', (p) => Object.freeze(p)],
    ['Header missing', set({ Header: null })],
    ['Header.Type NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS', header({ Type: 0x81 })],
    ['Header.Revision 0', header({ Revision: 0 })],
    ['Header.Revision 3', header({ Revision: 3 })],
    ['Header.Size 63 for revision 1', header({ Size: 63 })],
    ['Header.Size 67 for revision 2', header({ Revision: 2, Size: 67 })],
    ['Header.Size not a USHORT', header({ Size: 0x10000 })],
    ['Header.Size a string', header({ Size: '64' })],
    ['Flags 0x2 (D20)', set({ Flags: 2 })],
    ['Flags CONTIGUOUS plus a high bit', set({ Flags: 0x80000001 })],
    ['Flags negative', set({ Flags: -1 })],
    ['QueueId negative', set({ QueueId: -1 })],
    ['QueueId above a ULONG', set({ QueueId: 2 ** 32 })],
    ['PreferredNode 64', set({ PreferredNode: 64 })],
    ['PreferredNode MM_ANY_NODE_OK + 1', set({ PreferredNode: MM_ANY_NODE_OK + 1 })],
    ['Usage NdisSharedMemoryUsageMax', set({ Usage: NdisSharedMemoryUsageMax })],
    ['Usage negative', set({ Usage: -1 })],
    ['Usage fractional', set({ Usage: 1.5 })],
    ['Length 0', set({ Length: 0 })],
    ['Length above a ULONG', set({ Length: 2 ** 32 })],
    ['Length missing', set({ Length: undefined })],
    [
      'VPortId missing in revision 2',
      header({ Revision: 2, Size: NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2 }),
    ],
    ['SGListBuffer NULL', set({ SGListBuffer: null })],
    ['SGListBuffer without Elements', set({ SGListBuffer: { NumberOfElements: 0 } })],
    ['SGListBuffer frozen', set({ SGListBuffer: Object.freeze({ NumberOfElements: 0, Elements: [] }) })],
    [
      'SGListBuffer.Elements frozen',
      set({ SGListBuffer: { NumberOfElements: 0, Elements: Object.freeze([]) } }),
    ],
    ['SGListBufferLength 39 (less than one element)', set({ SGListBufferLength: 39 })],
    ['SGListBufferLength not a ULONG', set({ SGListBufferLength: 'big' })],
  ];

  describe.each([
    ['HAL memory (D24)', false],
    ['a registered provider', true],
  ])('with %s', (_, withProvider) => {
    it.each(cases)('%s → INVALID_PARAMETER, AllocationHandle NULL, nothing allocated', (_, make) => {
      const s = sim();
      registerDma(s);
      const provider = recordingProvider(s);
      if (withProvider) inSetOptions(s, provider.structure);
      const used = s.engine.physical.usedPages;
      const calls = s.engine.allocationCalls;
      const p = make(parameters());
      const result = allocate(s, p);
      expect(result).toEqual({ Status: NDIS_STATUS_INVALID_PARAMETER, AllocationHandle: null });
      expect(provider.calls).toEqual([]);
      expect(s.engine.physical.usedPages).toBe(used);
      expect(s.engine.allocationCalls).toBe(calls);
      expect(s.engine.provider.total.liveCount).toBe(0);
      expect(rules(s)).toEqual(['NdisAllocateSharedMemory_InvalidParameter']);
      if (p !== null && typeof p === 'object' && !Object.isFrozen(p)) {
        expect((p as NDIS_SHARED_MEMORY_PARAMETERS).VirtualAddress).toBe(0);
        expect((p as NDIS_SHARED_MEMORY_PARAMETERS).SharedMemoryHandle).toBeNull();
      }
    });
  });

  it.each([
    ['revision 2 with VPortId (Size 68)', { Header: { Type: 0x80, Revision: 2, Size: 68 }, VPortId: 0 }],
    ['revision 2 with Size sizeof = 72 (D17)', { Header: { Type: 0x80, Revision: 2, Size: 72 }, VPortId: 5 }],
    ['revision 1 ignoring a VPortId it does not have', { VPortId: 'ignored' }],
    ['the CONTIGOUS spelling (D19)', { Flags: NDIS_SHARED_MEM_PARAMETERS_CONTIGOUS }],
    ['any queue identifier (VMQ queues are not modelled)', { QueueId: 0xffffffff }],
    ['PreferredNode 0', { PreferredNode: 0 }],
    ['PreferredNode 63', { PreferredNode: 63 }],
    ['NdisSharedMemoryUsageUndefined', { Usage: 0 }],
    ['NdisSharedMemoryUsageOther', { Usage: NdisSharedMemoryUsageOther }],
  ])('accepts %s', (_, more) => {
    const s = sim();
    registerDma(s);
    const result = allocate(s, { ...parameters(), ...more });
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.violations).toEqual([]);
  });

  it('a forged, stale or foreign NdisHandle → INVALID_PARAMETER', () => {
    const s = sim();
    registerDma(s);
    const other = sim();
    activate(s.engine); // sim() activated the other run
    const stale = s.engine.createAdapter(s.driver, 'Gone');
    stale.live = false;
    for (const handle of [null, 0x1234, { name: 'forged' }, stale, other.adapter]) {
      expect(allocate(s, parameters(), handle)).toEqual({
        Status: NDIS_STATUS_INVALID_PARAMETER,
        AllocationHandle: null,
      });
    }
    expect(rules(s)).toEqual(Array(5).fill('NdisAllocateSharedMemory_InvalidParameter'));
  });
});

describe('NdisAllocateSharedMemory: the DMA precondition (D23), faults and resources', () => {
  it('FAILURE before SG DMA or a DMA channel is registered; a driver handle needs one of its adapters registered', () => {
    const s = sim();
    expect(allocate(s, parameters())).toEqual({ Status: NDIS_STATUS_FAILURE, AllocationHandle: null });
    expect(allocate(s, parameters(), s.driver)).toEqual({
      Status: NDIS_STATUS_FAILURE,
      AllocationHandle: null,
    });
    expect(rules(s)).toEqual(Array(2).fill('NdisAllocateSharedMemory_DmaNotRegistered'));
    registerDma(s);
    const viaDriver = allocate(s, parameters(), s.driver);
    expect(viaDriver.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.provider.accountingOf(s.driver).liveCount).toBe(1);
    expect(s.engine.provider.accountingOf(s.adapter).liveCount).toBe(0);
  });

  it('RESOURCES from the fault hook, asked once per valid call with the DDI, Length and owner; the provider is not called', () => {
    const seen: unknown[] = [];
    const s = sim({
      faults: (r) => {
        seen.push({ ddi: r.ddi, length: r.length, owner: r.owner?.name, ordinal: r.ordinal });
        return r.ddi === 'NdisAllocateSharedMemory';
      },
    });
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const p = parameters(1000);
    expect(allocate(s, p)).toEqual({ Status: NDIS_STATUS_RESOURCES, AllocationHandle: null });
    expect(seen.at(-1)).toEqual({
      ddi: 'NdisAllocateSharedMemory',
      length: 1000,
      owner: 'TestAdapter',
      ordinal: s.engine.allocationCalls,
    });
    expect(provider.calls).toEqual([]);
    expect(p.VirtualAddress).toBe(0);
    expect(s.engine.violations).toEqual([]);
  });

  it('RESOURCES when the HAL has no pages below the limit (nothing leaks)', () => {
    const s = sim({ physicalMemorySize: 64 * PAGE });
    registerDma(s);
    const used = s.engine.physical.usedPages;
    expect(allocate(s, parameters(64 * PAGE, 64, { Flags: 1 }))).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      AllocationHandle: null,
    });
    expect(allocate(s, parameters(64 * PAGE, 64))).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      AllocationHandle: null,
    });
    expect(s.engine.physical.usedPages).toBe(used);
    expect(s.engine.violations).toEqual([]);
  });

  it('checks its IRQL through the IRQL table (Irql_NdisAllocateSharedMemory); the provider then runs at the caller’s IRQL', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    provider.next = { Status: NDIS_STATUS_RESOURCES, SharedMemoryProviderContext: null };
    allocate(s, parameters(), s.adapter, DISPATCH_LEVEL);
    expect(rules(s)).toEqual(['Irql_NdisAllocateSharedMemory']);
    expect(provider.calls[0].irql).toBe(DISPATCH_LEVEL);
  });
});

describe('NdisFreeSharedMemory outcomes', () => {
  it('checks its IRQL through the IRQL table (Irql_NdisFreeSharedMemory); the free still happens', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const { AllocationHandle } = allocate(s, parameters());
    s.at(DISPATCH_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    expect(rules(s)).toEqual(['Irql_NdisFreeSharedMemory']);
    expect(s.engine.provider.total.liveCount).toBe(0);
    expect(provider.calls[1].irql).toBe(DISPATCH_LEVEL);
  });

  it('an unknown or already-freed AllocationHandle changes nothing (D21)', () => {
    const s = sim();
    registerDma(s);
    const kept = allocate(s, parameters());
    const freed = allocate(s, parameters());
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, freed.AllocationHandle));
    const used = s.engine.physical.usedPages;
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, freed.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, { name: 'x' }));
    expect(s.engine.physical.usedPages).toBe(used);
    expect(s.engine.provider.total.liveCount).toBe(1);
    expect(kept.AllocationHandle).not.toBeNull();
  });
});

describe('NdisAllocateSharedMemory with a provider', () => {
  it('calls NetAllocateSharedMemory at PASSIVE in the caller’s context with (ProviderContext, the caller’s parameters)', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const p = parameters(3000);
    const result = s.engine.invoke('MiniportInitializeEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisAllocateSharedMemory(s.adapter, p),
    );
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(provider.calls).toHaveLength(1);
    const call = provider.calls[0];
    expect(call.handler).toBe('allocate');
    expect(call.irql).toBe(PASSIVE_LEVEL);
    expect(call.callback).toBe('NetAllocateSharedMemory');
    expect(call.callbacks).toEqual(['MiniportInitializeEx', 'NetAllocateSharedMemory']);
    expect(call.args[0]).toBe(provider.context);
    expect(call.args[1]).toBe(p);
    // The provider filled VirtualAddress and the list; NDIS set its own SharedMemoryHandle.
    expect(p.VirtualAddress).not.toBe(0);
    expect(p.SGListBuffer?.NumberOfElements).toBe(1);
    expect(p.SharedMemoryHandle).not.toBeNull();
    expect(p.SharedMemoryHandle).not.toBe(result.AllocationHandle);
    expect(result.AllocationHandle).not.toBeNull();
    writeUInt32LE(p.VirtualAddress, 0x12345678);
    expect(readUInt32LE(p.VirtualAddress)).toBe(0x12345678);
  });

  it('NdisFreeSharedMemory calls NetFreeSharedMemory at PASSIVE in the caller’s context with (ProviderContext, SharedMemoryProviderContext)', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const p = parameters(3000);
    const { AllocationHandle } = allocate(s, p);
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisFreeSharedMemory(s.adapter, AllocationHandle),
    );
    const call = provider.calls[1];
    expect(call.handler).toBe('free');
    expect(call.irql).toBe(PASSIVE_LEVEL);
    expect(call.callbacks).toEqual(['MiniportHaltEx', 'NetFreeSharedMemory']);
    expect(call.args).toEqual([provider.context, { block: p.VirtualAddress }]);
    expect(s.engine.provider.total.liveCount).toBe(0);
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    ['RESOURCES', NDIS_STATUS_RESOURCES, NDIS_STATUS_RESOURCES, []],
    ['INVALID_PARAMETER', NDIS_STATUS_INVALID_PARAMETER, NDIS_STATUS_INVALID_PARAMETER, []],
    ['FAILURE', NDIS_STATUS_FAILURE, NDIS_STATUS_FAILURE, []],
    ['FAILURE as a signed C value', NDIS_STATUS_FAILURE | 0, NDIS_STATUS_FAILURE, []],
    ['PENDING (undocumented)', NDIS_STATUS_PENDING, NDIS_STATUS_FAILURE, ['NetAllocateSharedMemory_Return']],
    [
      'NOT_SUPPORTED (undocumented)',
      NDIS_STATUS_NOT_SUPPORTED,
      NDIS_STATUS_FAILURE,
      ['NetAllocateSharedMemory_Return'],
    ],
  ])(
    'the provider returns %s → NdisAllocateSharedMemory returns its status, AllocationHandle NULL',
    (_, returned, expected, found) => {
      const s = sim();
      registerDma(s);
      const provider = recordingProvider(s);
      inSetOptions(s, provider.structure);
      provider.next = { Status: returned, SharedMemoryProviderContext: null };
      expect(allocate(s, parameters())).toEqual({ Status: expected, AllocationHandle: null });
      expect(s.engine.provider.total.liveCount).toBe(0);
      expect(rules(s)).toEqual(found);
    },
  );

  it('a provider that returns no result object → FAILURE', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    for (const next of [undefined, 0, { Status: 'ok' }]) {
      provider.next = next;
      expect(allocate(s, parameters())).toEqual({ Status: NDIS_STATUS_FAILURE, AllocationHandle: null });
    }
    expect(rules(s)).toEqual(Array(3).fill('NetAllocateSharedMemory_Return'));
  });

  it('keeps the Length, Usage and Flags the caller asked for even if the provider changes them in the structure', () => {
    const s = sim();
    registerDma(s);
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const p = parameters(3000);
    const va = -0x10000;
    provider.next = { Status: NDIS_STATUS_SUCCESS, SharedMemoryProviderContext: 'ctx' };
    const structure = provider.structure;
    inSetOptions(s, {
      ...structure,
      AllocateSharedMemoryHandler: (context: unknown, q: NDIS_SHARED_MEMORY_PARAMETERS) => {
        Object.assign(q, { Length: 'changed', Usage: -1, Flags: 99, VirtualAddress: va });
        q.SGListBuffer = { NumberOfElements: 1, Elements: [{ Address: 0x2000, Length: 3000 }] };
        return { Status: NDIS_STATUS_SUCCESS, SharedMemoryProviderContext: context };
      },
    });
    const { AllocationHandle } = allocate(s, p);
    const block = [...s.engine.provider.live(s.adapter)][0];
    expect(block).toBe(AllocationHandle);
    expect([block.length, block.usage, block.flags, block.virtualAddress]).toEqual([3000, 4, 0, va]);
    expect(s.engine.provider.total.liveBytes).toBe(3000);
    expect(s.engine.violations).toEqual([]);
  });

  it('blocks are freed through the provider that allocated them, even after a new provider replaced it', () => {
    const s = sim();
    registerDma(s);
    const first = recordingProvider(s);
    inSetOptions(s, first.structure);
    const a = allocate(s, parameters());
    const second = recordingProvider(s);
    inSetOptions(s, second.structure);
    const b = allocate(s, parameters());
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, a.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, b.AllocationHandle));
    expect(first.calls.map((c) => c.handler)).toEqual(['allocate', 'free']);
    expect(second.calls.map((c) => c.handler)).toEqual(['allocate', 'free']);
  });
});

describe('NdisAllocateSharedMemory from the HAL (no provider, D24)', () => {
  function elements(p: NDIS_SHARED_MEMORY_PARAMETERS): SCATTER_GATHER_LIST['Elements'] {
    return (p.SGListBuffer as SCATTER_GATHER_LIST).Elements;
  }

  it('fills VirtualAddress, SharedMemoryHandle = NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED (NULL) and one SG element per page', () => {
    const s = sim();
    registerDma(s);
    const length = 3 * PAGE + 5;
    const p = parameters(length, 4, { SharedMemoryHandle: { stale: true } as never });
    const result = allocate(s, p);
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(result.AllocationHandle).not.toBeNull();
    expect(p.SharedMemoryHandle).toBeNull();
    expect(p.VirtualAddress).toBeLessThan(0); // a kernel address
    const list = p.SGListBuffer as SCATTER_GATHER_LIST;
    expect(list.NumberOfElements).toBe(4);
    expect(list.Elements.map((e) => e.Length)).toEqual([PAGE, PAGE, PAGE, 5]);
    // Not contiguous: no element continues where the previous one ends.
    for (let i = 1; i < list.Elements.length; i++) {
      expect(list.Elements[i].Address).not.toBe(list.Elements[i - 1].Address + list.Elements[i - 1].Length);
    }
    for (const e of list.Elements) expect(s.engine.physical.isAllocated(e.Address)).toBe(true);
  });

  it('CONTIGUOUS gives one element covering Length', () => {
    const s = sim();
    registerDma(s);
    const p = parameters(5 * PAGE, 1, { Flags: NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS });
    expect(allocate(s, p).Status).toBe(NDIS_STATUS_SUCCESS);
    expect(p.SGListBuffer?.NumberOfElements).toBe(1);
    expect(elements(p)[0].Length).toBe(5 * PAGE);
    expect(s.engine.physical.isAllocated(elements(p)[0].Address + 5 * PAGE - 1)).toBe(true);
  });

  it('a buffer too small for the list NDIS builds → INVALID_PARAMETER; the same buffer suffices when CONTIGUOUS (D24)', () => {
    const s = sim();
    registerDma(s);
    const small = parameters(3 * PAGE, 2); // 64 bytes: room for 2 elements, 3 needed
    expect(allocate(s, small)).toEqual({ Status: NDIS_STATUS_INVALID_PARAMETER, AllocationHandle: null });
    expect(s.engine.violations[0].message).toContain('at least 88 bytes');
    expect(allocate(s, { ...small, Flags: 1 }).Status).toBe(NDIS_STATUS_SUCCESS);
  });

  it('stays below 4 GiB unless the adapter’s DMA is 64-bit', () => {
    const wide = sim();
    registerDma(wide);
    const p64 = parameters(PAGE);
    allocate(wide, p64);
    expect(elements(p64)[0].Address).toBeGreaterThanOrEqual(FOUR_GIB);
    const narrow = sim();
    registerDma(narrow, 0);
    const p32 = parameters(2 * PAGE);
    allocate(narrow, p32);
    for (const e of elements(p32)) expect(e.Address + e.Length).toBeLessThanOrEqual(FOUR_GIB);
  });

  it('the bytes are real and checked, and unusable after NdisFreeSharedMemory (pages back, mapping gone)', () => {
    const s = sim();
    registerDma(s);
    const used = s.engine.physical.usedPages;
    const p = parameters(100);
    const { AllocationHandle } = allocate(s, p);
    expect(s.engine.physical.usedPages).toBe(used + 1);
    writeUInt32LE(p.VirtualAddress + 96, 0xcafef00d);
    expect(readUInt32LE(p.VirtualAddress + 96)).toBe(0xcafef00d);
    writeUInt32LE(p.VirtualAddress + 100, 1); // past Length
    expect(rules(s)).toEqual(['Memory_Overrun']);
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, AllocationHandle));
    expect(s.engine.physical.usedPages).toBe(used);
    expect(readUInt32LE(p.VirtualAddress + 96)).toBe(0);
    expect(rules(s)).toEqual(['Memory_Overrun', 'Memory_UseAfterFree']);
  });
});

describe('reclaim (for the host, after a leak report)', () => {
  it('gives HAL pages back, forgets provider blocks without calling the provider, and a later free is a double free', () => {
    const s = sim();
    registerDma(s);
    const used = s.engine.physical.usedPages;
    const hal = allocate(s, parameters(PAGE));
    const provider = recordingProvider(s);
    inSetOptions(s, provider.structure);
    const fromProvider = allocate(s, parameters(PAGE));
    s.engine.provider.reclaim(s.adapter);
    expect(s.engine.physical.usedPages).toBe(used);
    expect([...s.engine.provider.live()]).toEqual([]);
    expect(provider.calls.map((c) => c.handler)).toEqual(['allocate']);
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, hal.AllocationHandle));
    s.at(PASSIVE_LEVEL, () => NdisFreeSharedMemory(s.adapter, fromProvider.AllocationHandle));
    expect(rules(s)).toEqual(['ProviderSharedMemory_DoubleFree', 'ProviderSharedMemory_DoubleFree']);
    expect(s.engine.violations[0].message).toContain('reclaimed');
  });
});
