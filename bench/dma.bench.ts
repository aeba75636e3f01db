/**
 * One verified NdisMAllocateSharedMemory + NdisMFreeSharedMemory pair, with and without
 * allocation-site capture, beside its floor: a Map insert and delete of a record keyed by the same
 * kind of 64-bit address plus the same contiguous page allocation and free from PhysicalMemory (the
 * essential work: find device-visible pages below the DMA limit, remember the block, forget it).
 * Target: <= 2x without capture (the pair also checks IRQL, callback context, the DMA registration,
 * parameters on the free, guard bytes, and maps a Region for checked byte access); <= 4x with capture.
 * A third line switches off the IRQL-table rules (every ddiEnter observer) to show what the family
 * itself costs apart from the shared IRQL dispatch that every table DDI pays in Engine.enterDdi.
 */
import { Engine } from '../src/engine/engine.js';
import { FOUR_GIB, PhysicalMemory } from '../src/machine/physical.js';
import { activate } from '../src/ndis/active.js';
import {
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
} from '../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemory,
  NdisMFreeSharedMemory,
  NdisMRegisterScatterGatherDma,
} from '../src/ndis/dma.js';
import { CATALOGUE } from '../src/verifier/catalogue.js';
import { type Comparison, compare } from './harness.js';

const LENGTH = 2048;

function floor(): () => unknown {
  const physical = new PhysicalMemory();
  const table = new Map<number, { base: number; length: number; physical: number; owner: object }>();
  const owner = {};
  let va = -0x600000000000;
  return () => {
    va += 0x1000;
    const pa = physical.allocateContiguous(1, FOUR_GIB);
    table.set(va, { base: va, length: LENGTH, physical: pa, owner });
    const record = table.get(va);
    table.delete(va);
    physical.free(pa, 1);
    return record;
  };
}

/** The IRQL-table rules (one ddiEnter observer per table DDI), to measure the family without them. */
const IRQL_TABLE_RULES = CATALOGUE.filter((r) => r.observe.ddiEnter !== undefined).map((r) => r.id);

function pair(captureAllocationSites: boolean, rulesOff: readonly string[] = []): () => unknown {
  const engine = new Engine({ captureAllocationSites, captureSites: false, rulesOff });
  const driver = engine.createDriver('BenchDriver');
  const adapter = engine.createAdapter(driver, 'BenchAdapter');
  adapter.registrationAttributesSet = true;
  adapter.attributeFlags = NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
  activate(engine);
  const frame = engine.context.enter('MiniportInitializeEx', driver, adapter, 0);
  const sg = NdisMRegisterScatterGatherDma(adapter, {
    Header: {
      Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
      Revision: NDIS_SG_DMA_DESCRIPTION_REVISION_1,
      Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
    },
    Flags: 0,
    MaximumPhysicalMapping: 0x10000,
    ProcessSGListHandler: null,
    SharedMemAllocateCompleteHandler: null,
    ScatterGatherListSize: 0,
  });
  if (sg.Status !== 0) throw new Error('bench: SG DMA registration failed');
  // The pair runs inside MiniportInitializeEx, where NdisMAllocateSharedMemory belongs (D3).
  void frame;
  return () => {
    const { VirtualAddress, PhysicalAddress } = NdisMAllocateSharedMemory(adapter, LENGTH, true);
    NdisMFreeSharedMemory(adapter, LENGTH, true, VirtualAddress, PhysicalAddress);
    return VirtualAddress;
  };
}

/** Runs the shared-memory benchmarks. */
export async function dmaBenchmarks(): Promise<Comparison[]> {
  const results: Comparison[] = [];
  results.push(await compare('shared memory alloc+free pair, no site capture', floor(), pair(false), 2));
  results.push(
    await compare('shared memory alloc+free pair, with allocation-site capture', floor(), pair(true), 4),
  );
  results.push(
    await compare(
      'shared memory alloc+free pair, IRQL-table rules off',
      floor(),
      pair(false, IRQL_TABLE_RULES),
      2,
    ),
  );
  activate(null);
  return results;
}
