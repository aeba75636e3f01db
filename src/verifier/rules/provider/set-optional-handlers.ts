/**
 * The NdisSetOptionalHandlers rules (SPEC §6.1, §6.2, D17, D22, D25):
 * NdisSetOptionalHandlers_Context — a miniport calls it inside MiniportSetOptions with the
 * NdisDriverHandle NDIS passed there; NdisSetOptionalHandlers_InvalidHeader — OptionalHandlers is a
 * structure with a well-formed NDIS_OBJECT_HEADER of an optional-handlers type (0x7C / 0x21);
 * SharedMemoryProvider_InvalidCharacteristics — a provider's Flags and handlers are as documented.
 */
import { OptionalHandlersProblem } from '../../events/provider.js';
import { DDI, rule } from '../../rule.js';
import { found, handleText, setArgs, valueAt } from './args.js';

const INVALID_OBJECT_HEADER = { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' } as const;

export const NdisSetOptionalHandlers_Context = rule({
  id: 'NdisSetOptionalHandlers_Context',
  title:
    'A miniport calls NdisSetOptionalHandlers inside MiniportSetOptions, with the NdisDriverHandle NDIS passed to it (D25).',
  link: `${DDI}ndis/nf-ndis-ndissetoptionalhandlers`,
  severity: 'error',
  observe: {
    setOptionalHandlers(v, e) {
      if (e.problem === OptionalHandlersProblem.InvalidHandle) {
        v.report(
          NdisSetOptionalHandlers_Context,
          `NdisSetOptionalHandlers called with NdisHandle ${handleText(e.NdisHandle)}, which is not a live miniport driver handle; it returns NDIS_STATUS_NOT_SUPPORTED.`,
          { ddi: e.ddi, args: setArgs(e) },
        );
        return;
      }
      if (e.context === '') return;
      v.report(
        NdisSetOptionalHandlers_Context,
        `NdisSetOptionalHandlers called ${e.context}; a miniport driver calls it inside MiniportSetOptions with the NdisDriverHandle NDIS passed there (D25). It returns NDIS_STATUS_FAILURE.`,
        { ddi: e.ddi, args: setArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisSetOptionalHandlers_InvalidHeader = rule({
  id: 'NdisSetOptionalHandlers_InvalidHeader',
  title:
    'NdisSetOptionalHandlers gets a structure whose NDIS_OBJECT_HEADER is well formed and names an optional-handlers structure.',
  link: `${DDI}ndis/nf-ndis-ndissetoptionalhandlers`,
  severity: 'error',
  bugCheck: INVALID_OBJECT_HEADER,
  observe: {
    setOptionalHandlers(v, e) {
      if (e.problem !== OptionalHandlersProblem.BadHeader) return;
      const what = e.field === 'OptionalHandlers' ? 'OptionalHandlers' : `OptionalHandlers.${e.field}`;
      v.report(
        NdisSetOptionalHandlers_InvalidHeader,
        `NdisSetOptionalHandlers: ${what} is ${found(valueAt(e.OptionalHandlers, e.field, 'OptionalHandlers'))}; it must be ${e.expected}. It returns NDIS_STATUS_FAILURE.`,
        { ddi: e.ddi, args: setArgs(e), owner: e.owner },
      );
    },
  },
});

export const SharedMemoryProvider_InvalidCharacteristics = rule({
  id: 'SharedMemoryProvider_InvalidCharacteristics',
  title:
    'NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS has Flags 0 or SUPPORTS_PF_VPORTS (D22) and both NetXxxSharedMemory handlers.',
  link: `${DDI}ndis/ns-ndis-_ndis_shared_memory_provider_characteristics`,
  severity: 'error',
  observe: {
    setOptionalHandlers(v, e) {
      if (e.problem !== OptionalHandlersProblem.BadCharacteristics) return;
      v.report(
        SharedMemoryProvider_InvalidCharacteristics,
        `NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS.${e.field} is ${found(valueAt(e.OptionalHandlers, e.field, 'OptionalHandlers'))}; it must be ${e.expected}. NdisSetOptionalHandlers returns NDIS_STATUS_FAILURE and registers no provider.`,
        { ddi: e.ddi, args: setArgs(e), owner: e.owner },
      );
    },
  },
});
