/**
 * NetAllocateSharedMemory_Return: a provider's NetAllocateSharedMemory returns one of the statuses
 * its page lists (SUCCESS, RESOURCES, INVALID_PARAMETER, FAILURE) with its SharedMemoryProviderContext,
 * and a SUCCESS fills VirtualAddress and a scatter-gather list covering Length within
 * SGListBufferLength (SPEC §6.3, §6.6). Anything undocumented makes NdisAllocateSharedMemory FAILURE.
 */
import { ndisStatusName } from '../../../ndis/constants.js';
import { ReturnProblem } from '../../events/provider.js';
import { DDI, rule } from '../../rule.js';
import { describeParameters, found, handleText } from './args.js';

const MISSING: Record<string, string> = {
  VirtualAddress: 'the block’s VirtualAddress',
  SGListBuffer: 'the SGListBuffer it was given',
  'SGListBuffer.NumberOfElements': 'SGListBuffer.NumberOfElements (at least 1, with that many Elements)',
  'SGListBuffer.Elements': 'scatter-gather elements whose Lengths cover Length',
  SGListBufferLength: 'a list that fits in SGListBufferLength',
};

export const NetAllocateSharedMemory_Return = rule({
  id: 'NetAllocateSharedMemory_Return',
  title:
    'NetAllocateSharedMemory returns a documented status, and on success fills VirtualAddress and an SG list covering Length.',
  link: `${DDI}ndis/nc-ndis-allocate_shared_memory_handler`,
  severity: 'error',
  observe: {
    providerReturn(v, e) {
      if (e.problem === ReturnProblem.None) return;
      const result = e.result as { Status?: unknown } | null;
      const message =
        e.problem === ReturnProblem.NotAResult
          ? `NetAllocateSharedMemory returned ${found(e.result)}, not { Status, SharedMemoryProviderContext }; NdisAllocateSharedMemory returns NDIS_STATUS_FAILURE.`
          : e.problem === ReturnProblem.UndocumentedStatus
            ? `NetAllocateSharedMemory returned ${ndisStatusName(result?.Status as number)}, which its page does not list (SUCCESS, RESOURCES, INVALID_PARAMETER, FAILURE); NdisAllocateSharedMemory returns NDIS_STATUS_FAILURE.`
            : `NetAllocateSharedMemory returned NDIS_STATUS_SUCCESS without filling ${MISSING[e.field] ?? e.field}; NDIS cannot tell, so NdisAllocateSharedMemory returns NDIS_STATUS_SUCCESS with what the provider left.`;
      v.report(NetAllocateSharedMemory_Return, message, {
        ddi: 'NetAllocateSharedMemory',
        args: {
          ProviderContext: handleText(e.provider.providerContext),
          SharedMemoryParameters: describeParameters(e.SharedMemoryParameters),
        },
        owner: e.provider.driver,
      });
    },
  },
});
