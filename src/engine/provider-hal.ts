/**
 * Shared memory from the HAL, what NdisAllocateSharedMemory hands out when no provider is registered
 * (D24): pages below the adapter's DMA address limit (4 GiB unless its DMA is 64-bit), mapped at a
 * fresh virtual address so the driver's reads and writes are real and checked, and described in the
 * caller's SCATTER_GATHER_LIST. Without CONTIGUOUS every page is its own element, so a driver that
 * assumes contiguity is caught at once; NDIS sized the caller's buffer for that list up front.
 */
import { PAGE_SIZE, type PhysicalRun } from '../machine/physical.js';
import { NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS } from '../ndis/constants.js';
import type { SCATTER_GATHER_ELEMENT } from '../ndis/types.js';
import type { SiteCapture } from '../verifier/site.js';
import type { Engine } from './engine.js';
import type { MiniportAdapter } from './objects.js';
import { pagesOf, writeOut } from './provider-check.js';
import { HalMapping } from './provider-objects.js';

/**
 * Allocates and maps Length bytes of validated parameters `p` for the DMA registration of
 * `dmaAdapter`, filling VirtualAddress, SGListBuffer and SharedMemoryHandle =
 * NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED (NULL); null (nothing allocated) when pages or addresses run out.
 */
export function allocateHal(
  engine: Engine,
  dmaAdapter: MiniportAdapter,
  p: Record<string, unknown>,
  site: SiteCapture | null,
): HalMapping | null {
  const length = p.Length as number;
  const pages = pagesOf(length);
  const limit = engine.dma.limitOf(engine.dma.stateOf(dmaAdapter));
  let runs: PhysicalRun[] | null;
  if (((p.Flags as number) & NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS) !== 0) {
    const base = engine.physical.allocateContiguous(pages, limit);
    runs = base < 0 ? null : [{ address: base, pages }];
  } else {
    runs = engine.physical.allocateScattered(pages, limit, 1);
  }
  if (runs === null) return null;
  const va = engine.virtual.reserve(length);
  if (va === 0) {
    releasePages(engine, runs);
    return null;
  }
  const mapping = new HalMapping(va, length, runs, site);
  engine.virtual.map(mapping);
  fillList(p.SGListBuffer as Record<string, unknown>, runs, length);
  writeOut(p, 'VirtualAddress', va);
  writeOut(p, 'SharedMemoryHandle', null); // NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED
  return mapping;
}

/** Unmaps HAL memory (later accesses are use after free) and gives its pages back. */
export function releaseHal(engine: Engine, mapping: HalMapping): void {
  engine.virtual.unmap(mapping);
  engine.access.released(mapping);
  releasePages(engine, mapping.runs);
}

function releasePages(engine: Engine, runs: readonly PhysicalRun[]): void {
  for (const run of runs) engine.physical.free(run.address, run.pages);
}

/** Writes the layout of `runs` into the caller's list (checked writable by checkParameters). */
function fillList(list: Record<string, unknown>, runs: readonly PhysicalRun[], length: number): void {
  const elements = list.Elements as SCATTER_GATHER_ELEMENT[];
  try {
    elements.length = runs.length;
    let left = length;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      const bytes = Math.min(left, run.pages * PAGE_SIZE);
      elements[i] = { Address: run.address, Length: bytes, Reserved: 0 };
      left -= bytes;
    }
  } catch {
    // a read-only element or length: what could not be written is lost (see writeOut)
  }
  writeOut(list, 'NumberOfElements', runs.length);
}
