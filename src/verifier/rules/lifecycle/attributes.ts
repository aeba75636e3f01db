/**
 * NdisMSetMiniportAttributes (SPEC §2.6, §2.7, D17, D28, D37):
 * - NdisMSetMiniportAttributes_Header: the structure's header selects a member of the union and
 *   carries a revision it has (and the driver's NDIS version knows) and a large enough Size; else the
 *   call returns NDIS_STATUS_BAD_VERSION (a malformed header maps to 0x7C / 0x21).
 * - NdisMSetMiniportAttributes_Order: registration attributes first, general attributes second.
 * - NdisMSetMiniportAttributes_Context: called from MiniportInitializeEx of that adapter
 *   (add-device registration attributes: from MiniportAddDevice).
 * - NdisMSetMiniportAttributes_HardwareAssist: hardware/current capability pointers come in pairs,
 *   and SR-IOV capabilities come with NIC-switch capabilities.
 * Ordering, context and pairing are recorded; the call keeps its normal outcome (D37).
 */
import type { AttributesProblem, AttributesSetEvent } from '../../events/lifecycle.js';
import { describeHandle, hex } from '../../format.js';
import { DDI, rule } from '../../rule.js';
import { ndisBugCheck, statusText } from './describe.js';

const PAGE = `${DDI}ndis/nf-ndis-ndismsetminiportattributes`;

function args(e: AttributesSetEvent): Record<string, unknown> {
  if (e.type === -1 && e.revision === -1) {
    return { NdisMiniportHandle: e.adapter.name, MiniportAttributes: describeHandle(e.attributes) };
  }
  return {
    NdisMiniportHandle: e.adapter.name,
    MiniportAttributes: e.structure ?? 'unknown',
    'Header.Type': e.type === -1 ? 'unreadable' : hex(e.type),
    'Header.Revision': e.revision,
    'Header.Size': e.size,
  };
}

const WHAT: Record<AttributesProblem, string> = {
  'not-a-structure': 'is not a structure opening with an NDIS_OBJECT_HEADER',
  'unknown-type': 'has a Header.Type that selects no member of NDIS_MINIPORT_ADAPTER_ATTRIBUTES',
  revision: 'has a Header.Revision the structure does not have',
  'revision-too-new': 'has a Header.Revision newer than the NDIS version the driver registered with',
  size: "has a Header.Size below its revision's size",
};

function name(e: AttributesSetEvent): string {
  return e.structure ?? 'MiniportAttributes';
}

export const NdisMSetMiniportAttributes_Header = rule({
  id: 'NdisMSetMiniportAttributes_Header',
  title:
    'Each attribute structure passed to NdisMSetMiniportAttributes has a known Header.Type, a supported Revision and a Size of at least that revision.',
  link: PAGE,
  severity: 'error',
  observe: {
    attributesSet(v, e) {
      if (e.problem === null) return;
      v.report(
        NdisMSetMiniportAttributes_Header,
        `NdisMSetMiniportAttributes: ${name(e)} ${WHAT[e.problem]} (expected ${String(e.expected)}); it returns ${statusText(e.status)} and sets nothing.`,
        {
          ddi: 'NdisMSetMiniportAttributes',
          args: args(e),
          owner: e.adapter,
          // D17: a malformed header is 0x7C / 0x21; a well-formed but too new revision is not.
          bugCheck: e.problem === 'revision-too-new' ? undefined : ndisBugCheck(0x21),
          parameters: [e.engine.lifecycle.serialOf(e.adapter.driver), 0, 0],
        },
      );
    },
  },
});

export const NdisMSetMiniportAttributes_Order = rule({
  id: 'NdisMSetMiniportAttributes_Order',
  title:
    'MiniportInitializeEx sets registration attributes first, then general attributes, then any other attributes.',
  link: PAGE,
  severity: 'error',
  observe: {
    attributesSet(v, e) {
      if (e.order === null) return;
      const what =
        e.order === 'general-before-registration'
          ? 'general attributes are set before registration attributes'
          : e.order === 'before-registration'
            ? `${name(e)} is set before registration attributes`
            : `${name(e)} is set before general attributes`;
      v.report(
        NdisMSetMiniportAttributes_Order,
        `NdisMSetMiniportAttributes: ${what}; the attributes are set anyway.`,
        { ddi: 'NdisMSetMiniportAttributes', args: args(e), owner: e.adapter },
      );
    },
  },
});

export const NdisMSetMiniportAttributes_Context = rule({
  id: 'NdisMSetMiniportAttributes_Context',
  title: 'NdisMSetMiniportAttributes is called from MiniportInitializeEx of the adapter it names.',
  link: PAGE,
  severity: 'error',
  observe: {
    attributesSet(v, e) {
      if (!e.outsideInitialize) return;
      const where = e.engine.context.callback;
      const home =
        e.type === 0xa4 ? 'MiniportAddDevice' : `MiniportInitializeEx of adapter ${e.adapter.name}`;
      v.report(
        NdisMSetMiniportAttributes_Context,
        `NdisMSetMiniportAttributes called from ${where === 'System' ? 'outside any driver callback' : where} (adapter ${e.adapter.name} is ${e.adapter.state}); it belongs in ${home}.`,
        { ddi: 'NdisMSetMiniportAttributes', args: args(e), owner: e.adapter },
      );
    },
  },
});

export const NdisMSetMiniportAttributes_HardwareAssist = rule({
  id: 'NdisMSetMiniportAttributes_HardwareAssist',
  title:
    'Hardware-assist capability pointers come in hardware/current pairs, and SR-IOV capabilities come with NIC-switch capabilities.',
  link: `${DDI}ndis/ns-ndis-_ndis_miniport_adapter_hardware_assist_attributes`,
  severity: 'error',
  observe: {
    attributesSet(v, e) {
      if (e.unpaired.length === 0) return;
      v.report(
        NdisMSetMiniportAttributes_HardwareAssist,
        `NdisMSetMiniportAttributes: NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES leaves ${e.unpaired.join(', ')} NULL although its partner capability is set; the attributes are set anyway.`,
        { ddi: 'NdisMSetMiniportAttributes', args: args(e), owner: e.adapter },
      );
    },
  },
});
