/** The dma family's rules, in catalogue order. */
import type { RuleDef } from '../../rule.js';
import { Dma_DeregisterWithSharedMemory } from './deregister-with-shared-memory.js';
import { Leak_DmaChannel, NdisMDeregisterDmaChannel_OutsideInitializeOrHalt } from './dma-channel.js';
import { Init_RegisterSG } from './init-register-sg.js';
import { NdisMRegisterScatterGatherDma_Header } from './invalid.js';
import { Leak_SharedMemory } from './leak-shared-memory.js';
import {
  Dma_RegisterBeforeAttributes,
  Dma_RegisterOutsideInitialize,
  NdisMRegisterScatterGatherDma_AlreadyRegistered,
} from './registration-order.js';
import {
  NdisMAllocateSharedMemory_OutsideInitialize,
  NdisMAllocateSharedMemory_WithoutDmaRegistration,
  NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler,
} from './shared-allocate.js';
import {
  NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL,
  NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM,
  NDIS_BUGCHECK_SHARED_MEM_CORRUPTION,
} from './shared-bugchecks.js';
import {
  NdisMFreeSharedMemory,
  NdisMFreeSharedMemory_ParameterMismatch,
  NdisMFreeSharedMemory_Subrange,
} from './shared-free.js';
import { WriteErrorLog } from './write-error-log.js';

export const DMA_RULES: readonly RuleDef[] = [
  // Registration (SPEC §4)
  Init_RegisterSG,
  Dma_RegisterOutsideInitialize,
  Dma_RegisterBeforeAttributes,
  NdisMRegisterScatterGatherDma_AlreadyRegistered,
  NdisMRegisterScatterGatherDma_Header,
  NdisMDeregisterDmaChannel_OutsideInitializeOrHalt,
  Leak_DmaChannel,
  Dma_DeregisterWithSharedMemory,
  // Shared memory (SPEC §5)
  NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL,
  NdisMAllocateSharedMemory_OutsideInitialize,
  NdisMAllocateSharedMemory_WithoutDmaRegistration,
  NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler,
  WriteErrorLog,
  NDIS_BUGCHECK_SHARED_MEM_CORRUPTION,
  NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM,
  NdisMFreeSharedMemory,
  NdisMFreeSharedMemory_ParameterMismatch,
  NdisMFreeSharedMemory_Subrange,
  Leak_SharedMemory,
  // Bad handles and arguments are reported by Ndis_InvalidHandle / Ddi_InvalidArgument (./invalid.ts).
];
