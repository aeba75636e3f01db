/**
 * Validation of the DMA registration arguments (SPEC §4.1, §4.3, D17): NDIS_SG_DMA_DESCRIPTION and
 * NdisMRegisterDmaChannel's arguments. Each check sets the problem and the field on the event.
 */

import { PAGE_SIZE } from '../machine/physical.js';
import {
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SG_DMA_DESCRIPTION_REVISION_2,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2,
} from '../ndis/constants.js';
import { DmaProblem, type DmaRegisterEvent } from '../verifier/events/dma.js';
import { isBoolean } from './dma-objects.js';
import { isUlong } from './pool.js';
import { sgListBytes } from './provider-check.js';

function isHandler(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'function';
}

/** Bytes of one scatter-gather list covering MaximumPhysicalMapping: the x64 SCATTER_GATHER_LIST header plus one element per page it can span. */
export function sgListSize(maximumPhysicalMapping: number): number {
  return sgListBytes(Math.ceil(maximumPhysicalMapping / PAGE_SIZE) + 1);
}

/** Validates NDIS_SG_DMA_DESCRIPTION; true (and the problem set on `e`) if it is malformed. */
export function checkSgDescription(e: DmaRegisterEvent, description: unknown): boolean {
  if (description === null || typeof description !== 'object')
    return bad(e, DmaProblem.InvalidArgument, 'DmaDescription');
  const d = description as Record<string, unknown>;
  const header = d.Header as Record<string, unknown> | null | undefined;
  if (header === null || typeof header !== 'object') return bad(e, DmaProblem.BadHeader, 'Header');
  if (header.Type !== NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION) return bad(e, DmaProblem.BadHeader, 'Header.Type');
  const revision = header.Revision;
  // Revision 2 exists in the header (NDIS 6.85); Size >= the revision's size is accepted (D17).
  const minimum =
    revision === NDIS_SG_DMA_DESCRIPTION_REVISION_1
      ? NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1
      : revision === NDIS_SG_DMA_DESCRIPTION_REVISION_2
        ? NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2
        : -1;
  if (minimum < 0) return bad(e, DmaProblem.BadHeader, 'Header.Revision');
  if (typeof header.Size !== 'number' || !(header.Size >= minimum) || header.Size > 0xffff)
    return bad(e, DmaProblem.BadHeader, 'Header.Size');
  if (!isUlong(d.Flags)) return bad(e, DmaProblem.InvalidArgument, 'Flags');
  if (!isUlong(d.MaximumPhysicalMapping)) return bad(e, DmaProblem.InvalidArgument, 'MaximumPhysicalMapping');
  if (!isHandler(d.ProcessSGListHandler)) return bad(e, DmaProblem.InvalidArgument, 'ProcessSGListHandler');
  if (!isHandler(d.SharedMemAllocateCompleteHandler))
    return bad(e, DmaProblem.InvalidArgument, 'SharedMemAllocateCompleteHandler');
  return false;
}

/** Validates NdisMRegisterDmaChannel's arguments; true (and the problem set on `e`) if malformed. */
export function checkChannelArguments(
  e: DmaRegisterEvent,
  Dma32BitAddresses: unknown,
  description: unknown,
  MaximumLength: unknown,
): boolean {
  if (!isBoolean(Dma32BitAddresses)) return bad(e, DmaProblem.InvalidArgument, 'Dma32BitAddresses');
  if (!isUlong(MaximumLength) && MaximumLength !== -1)
    return bad(e, DmaProblem.InvalidArgument, 'MaximumLength');
  if (description === null || typeof description !== 'object')
    return bad(e, DmaProblem.InvalidArgument, 'DmaDescription');
  const d = description as Record<string, unknown>;
  for (const field of ['DemandMode', 'AutoInitialize', 'DmaChannelSpecified'] as const) {
    if (!isBoolean(d[field])) return bad(e, DmaProblem.InvalidArgument, field);
  }
  // The page lists Width8Bits..Width32Bits and Compatible..TypeC; DmaPort (MCA) must be zero.
  if (!(typeof d.DmaWidth === 'number' && d.DmaWidth >= 0 && d.DmaWidth <= 2 && Number.isInteger(d.DmaWidth)))
    return bad(e, DmaProblem.InvalidArgument, 'DmaWidth');
  if (!(typeof d.DmaSpeed === 'number' && d.DmaSpeed >= 0 && d.DmaSpeed <= 3 && Number.isInteger(d.DmaSpeed)))
    return bad(e, DmaProblem.InvalidArgument, 'DmaSpeed');
  if (d.DmaPort !== 0) return bad(e, DmaProblem.InvalidArgument, 'DmaPort');
  if (!isUlong(d.DmaChannel)) return bad(e, DmaProblem.InvalidArgument, 'DmaChannel');
  return false;
}

function bad(e: DmaRegisterEvent, problem: DmaProblem, field: string): true {
  e.problem = problem;
  e.field = field;
  return true;
}
