/**
 * NdisMRegisterMiniportDriver_Characteristics: NDIS_MINIPORT_DRIVER_CHARACTERISTICS is well formed
 * (SPEC §2.2, D17, D26, D27): Header Type 0x8A, a Revision the minor version allows and a Size of at
 * least that revision's; NDIS 6 with a minor version from the header's list; every required handler;
 * ResetHandlerEx with CheckForHangHandlerEx; the direct-OID handlers as a pair; no
 * CheckForHangHandlerEx for an intermediate driver. Each rejected structure is recorded with the
 * status the call returns; a malformed header maps to 0x7C / 0x21 (D17).
 */
import type { CharacteristicsProblem, DriverRegisterEvent } from '../../events/lifecycle.js';
import { describeHandle, hex } from '../../format.js';
import { DDI, rule } from '../../rule.js';
import { ndisBugCheck, statusText } from './describe.js';

const WHAT: Record<CharacteristicsProblem, string> = {
  'not-a-structure': 'is not an NDIS_MINIPORT_DRIVER_CHARACTERISTICS structure',
  'header-type': 'has a Header.Type other than NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS',
  'major-version': 'declares a MajorNdisVersion other than 6',
  'minor-version': 'declares a MinorNdisVersion NDIS 6 does not have',
  revision: 'has a Header.Revision that is unknown or that its MinorNdisVersion does not allow',
  size: "has a Header.Size below its revision's NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_n",
  'handler-type': 'has handler members that are neither a function nor NULL',
  'missing-handler': 'lacks required handlers',
  'reset-handler': 'gives CheckForHangHandlerEx without ResetHandlerEx',
  'direct-oid-pair': 'gives only one of DirectOidRequestHandler and CancelDirectOidRequestHandler',
  'im-check-for-hang':
    'gives CheckForHangHandlerEx although the driver is an intermediate driver (it must be NULL)',
};

function shown(field: string, value: unknown): unknown {
  if (typeof value === 'number') return field === 'Header.Type' ? hex(value) : value;
  if (typeof value === 'string') return value;
  return describeHandle(value);
}

function args(e: DriverRegisterEvent): Record<string, unknown> {
  if (e.fields.length === 0) return { MiniportDriverCharacteristics: describeHandle(e.characteristics) };
  const result: Record<string, unknown> = {};
  for (const field of e.fields) result[field] = shown(field, e.found);
  return result;
}

export const NdisMRegisterMiniportDriver_Characteristics = rule({
  id: 'NdisMRegisterMiniportDriver_Characteristics',
  title:
    'NDIS_MINIPORT_DRIVER_CHARACTERISTICS has a valid header and NDIS 6 version, every required handler, ResetHandlerEx with CheckForHangHandlerEx and the direct-OID handlers as a pair.',
  link: `${DDI}ndis/ns-ndis-_ndis_miniport_driver_characteristics`,
  severity: 'error',
  observe: {
    driverRegister(v, e) {
      const members = e.fields.length > 0 ? ` (${e.fields.join(', ')}: expected ${String(e.expected)})` : '';
      const outcome =
        e.problem === 'im-check-for-hang'
          ? `it returns ${statusText(e.status)}`
          : `it returns ${statusText(e.status)} and registers nothing`;
      v.report(
        NdisMRegisterMiniportDriver_Characteristics,
        `NdisMRegisterMiniportDriver: MiniportDriverCharacteristics ${WHAT[e.problem]}${members}; ${outcome}.`,
        {
          ddi: 'NdisMRegisterMiniportDriver',
          args: args(e),
          bugCheck: e.header ? ndisBugCheck(0x21) : undefined,
        },
      );
    },
  },
});
