/** The rule catalogue: every rule the verifier knows, in the order docs/rules.md lists them. */
import type { RuleDef } from './rule.js';
import { Ddi_InvalidArgument } from './rules/ddi-invalid-argument.js';
import { DMA_RULES } from './rules/dma/index.js';
import {
  DESCRIPTIVE_IRQL_RULES,
  Irql_Gather_DMA_Function,
  Irql_Miniport_Driver_Function,
  Irql_Protocol_Driver_Function,
} from './rules/irql-ddi.js';
import { Irql_Miscellaneous_Function } from './rules/irql-miscellaneous-function.js';
import {
  Irql_NdisFreeMemoryWithTag,
  Irql_NdisFreeMemoryWithTagPriority,
} from './rules/irql-tagged-pool-free.js';
import { Leak_PoolMemory } from './rules/leak-pool-memory.js';
import { LIFECYCLE_RULES } from './rules/lifecycle/index.js';
import { Memory_InvalidAccess, Memory_Overrun, Memory_UseAfterFree } from './rules/memory-access.js';
import { NdisAllocateMemoryWithTagPriority } from './rules/ndis-allocate-memory-with-tag-priority.js';
import { NdisFreeMemory_MemoryFlags } from './rules/ndis-free-memory-memory-flags.js';
import { NdisFreeMemoryWithTag_Deprecated } from './rules/ndis-free-memory-with-tag-deprecated.js';
import { Ndis_InvalidHandle } from './rules/ndis-invalid-handle.js';
import { Pool_DoubleFree } from './rules/pool-double-free.js';
import { Pool_FreeInteriorAddress } from './rules/pool-free-interior-address.js';
import { Pool_FreeHandleMismatch, Pool_FreeTagMismatch } from './rules/pool-free-mismatch.js';
import { Pool_FreeUnknownAddress } from './rules/pool-free-unknown-address.js';
import { Pool_InvalidPriority } from './rules/pool-invalid-priority.js';
import { Pool_ZeroByteAllocation } from './rules/pool-zero-byte-allocation.js';
import { PORTS_RULES } from './rules/ports/index.js';
import { PROVIDER_RULES } from './rules/provider/index.js';
import { SYNC_RULES } from './rules/sync/index.js';

/** Every rule, grouped by family. */
export const CATALOGUE: readonly RuleDef[] = Object.freeze([
  // General memory (SPEC §3)
  NdisAllocateMemoryWithTagPriority,
  Irql_Miscellaneous_Function,
  Irql_NdisFreeMemoryWithTagPriority,
  Irql_NdisFreeMemoryWithTag,
  NdisFreeMemory_MemoryFlags,
  NdisFreeMemoryWithTag_Deprecated,
  Pool_ZeroByteAllocation,
  Pool_InvalidPriority,
  Pool_DoubleFree,
  Pool_FreeUnknownAddress,
  Pool_FreeInteriorAddress,
  Pool_FreeTagMismatch,
  Pool_FreeHandleMismatch,
  Leak_PoolMemory,
  // Memory access (live drivers)
  Memory_UseAfterFree,
  Memory_Overrun,
  Memory_InvalidAccess,
  // Arguments and handles
  Ndis_InvalidHandle,
  Ddi_InvalidArgument,
  // IRQL of every other DDI (SPEC §8, D30)
  Irql_Miniport_Driver_Function,
  Irql_Gather_DMA_Function,
  Irql_Protocol_Driver_Function,
  ...DESCRIPTIVE_IRQL_RULES,
  // Driver and adapter lifecycle (SPEC §2)
  ...LIFECYCLE_RULES,
  // DMA registration and miniport shared memory (SPEC §4, §5)
  ...DMA_RULES,
  // Spin locks, work items, timers
  ...SYNC_RULES,
  // Shared memory from shared-memory providers (SPEC §6)
  ...PROVIDER_RULES,
  // NDIS ports (SPEC §7)
  ...PORTS_RULES,
]);

/** Looks a rule up by id. */
export function findRule(id: string): RuleDef | undefined {
  return CATALOGUE.find((r) => r.id === id);
}
