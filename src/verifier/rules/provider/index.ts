/** The provider family's rules, in catalogue order (SPEC §6). */
import type { RuleDef } from '../../rule.js';
import {
  NdisAllocateSharedMemory_DmaNotRegistered,
  NdisAllocateSharedMemory_InvalidParameter,
} from './allocate.js';
import {
  ProviderSharedMemory_DoubleFree,
  ProviderSharedMemory_FreeHandleMismatch,
  ProviderSharedMemory_FreeUnknownHandle,
} from './free.js';
import { Leak_ProviderSharedMemory } from './leak.js';
import { NetAllocateSharedMemory_Return } from './net-allocate-shared-memory-return.js';
import {
  NdisSetOptionalHandlers_Context,
  NdisSetOptionalHandlers_InvalidHeader,
  SharedMemoryProvider_InvalidCharacteristics,
} from './set-optional-handlers.js';

export const PROVIDER_RULES: readonly RuleDef[] = [
  NdisSetOptionalHandlers_Context,
  NdisSetOptionalHandlers_InvalidHeader,
  SharedMemoryProvider_InvalidCharacteristics,
  NdisAllocateSharedMemory_InvalidParameter,
  NdisAllocateSharedMemory_DmaNotRegistered,
  NetAllocateSharedMemory_Return,
  ProviderSharedMemory_FreeUnknownHandle,
  ProviderSharedMemory_DoubleFree,
  ProviderSharedMemory_FreeHandleMismatch,
  Leak_ProviderSharedMemory,
];
