/**
 * The NDIS_MINIPORT_ADAPTER_ATTRIBUTES union of NdisMSetMiniportAttributes (SPEC §2.7, D17, D28):
 * the member is selected by Header.Type; Revision and Size are checked against the member's
 * revisions; a revision newer than the NDIS version the driver registered with is refused.
 */
import {
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
  NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3,
  NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2,
} from '../ndis/constants.js';
import {
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
} from '../ndis/lifecycle.js';
import type { AttributesProblem } from '../verifier/events/lifecycle.js';
import { isStructure, member } from './lifecycle-characteristics.js';

/** A member of the union this package checks in full. */
interface Member {
  readonly structure: string;
  /** NDIS_SIZEOF_…_REVISION_n by revision (index 0 unused). */
  readonly sizes: readonly number[];
  /** The minor NDIS 6 version that introduced each revision. */
  readonly minors: readonly number[];
}

const MEMBERS: ReadonlyMap<number, Member> = new Map([
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
    {
      structure: 'NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES',
      sizes: [
        0,
        NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
        NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2,
      ],
      minors: [0, 0, 30],
    },
  ],
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
    {
      structure: 'NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES',
      sizes: [
        0,
        NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1,
        NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
      ],
      minors: [0, 0, 20],
    },
  ],
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
    {
      structure: 'NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES',
      sizes: [
        0,
        NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1,
        NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2,
        NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3,
        NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4,
      ],
      // D28: revision 4 (GFT, NDIS 6.50) is in the header only.
      minors: [0, 1, 20, 30, 50],
    },
  ],
]);

/** Members outside this package's scope: accepted when Revision and Size are plausible. */
const OTHER_MEMBERS: ReadonlyMap<number, string> = new Map([
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
    'NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES',
  ],
  [NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, 'NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES'],
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES,
    'NDIS_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES',
  ],
  [NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES, 'NDIS_MINIPORT_ADAPTER_NDK_ATTRIBUTES'],
  [
    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES,
    'NDIS_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES',
  ],
]);

/** Smallest header-only structure: a member must be larger than its NDIS_OBJECT_HEADER. */
const HEADER_SIZE = 4;

/** What the header of an attributes structure says, and what is wrong with it. */
export interface AttributesCheck {
  type: number;
  revision: number;
  size: number;
  structure: string | null;
  problem: AttributesProblem | null;
  expected: unknown;
}

function integer(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : -1;
}

/** Checks the header of `attributes` for a driver that registered with NDIS 6.`minor`. */
export function checkAttributes(attributes: unknown, minor: number, out: AttributesCheck): void {
  out.type = -1;
  out.revision = -1;
  out.size = -1;
  out.structure = null;
  out.expected = null;
  const header = isStructure(attributes) ? member(attributes, 'Header') : undefined;
  if (!isStructure(header)) {
    out.problem = 'not-a-structure';
    out.expected = 'a structure opening with an NDIS_OBJECT_HEADER';
    return;
  }
  const type = integer(member(header, 'Type'));
  const revision = integer(member(header, 'Revision'));
  const size = integer(member(header, 'Size'));
  out.type = type;
  out.revision = revision;
  out.size = size;
  const known = MEMBERS.get(type);
  if (known === undefined) {
    const other = OTHER_MEMBERS.get(type);
    out.structure = other ?? null;
    if (other === undefined) {
      out.problem = 'unknown-type';
      out.expected = 'a Header.Type of a member of NDIS_MINIPORT_ADAPTER_ATTRIBUTES';
    } else if (revision < 1) {
      out.problem = 'revision';
      out.expected = 'a Revision of 1 or more';
    } else if (size <= HEADER_SIZE) {
      out.problem = 'size';
      out.expected = `more than ${HEADER_SIZE}`;
    } else out.problem = null;
    return;
  }
  out.structure = known.structure;
  if (revision < 1 || revision >= known.sizes.length) {
    out.problem = 'revision';
    out.expected = `1..${known.sizes.length - 1}`;
  } else if (known.minors[revision] > minor) {
    out.problem = 'revision-too-new';
    out.expected = `NDIS 6.${known.minors[revision]} or later (the driver registered NDIS 6.${minor})`;
  } else if (size < known.sizes[revision]) {
    out.problem = 'size';
    out.expected = `>= ${known.sizes[revision]}`;
  } else out.problem = null;
}

/** Hardware/current capability pointers that must be both NULL or both set, by the revision adding them. */
const PAIRS: readonly (readonly [string, string, number])[] = [
  ['HardwareReceiveFilterCapabilities', 'CurrentReceiveFilterCapabilities', 2],
  ['HardwareNicSwitchCapabilities', 'CurrentNicSwitchCapabilities', 2],
  ['HardwareSriovCapabilities', 'CurrentSriovCapabilities', 3],
  ['HardwareQosCapabilities', 'CurrentQosCapabilities', 3],
];

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== 0;
}

/**
 * The capability pointers of hardware-assist attributes set without their documented partner
 * (both of a pair, and the NIC-switch pair for SR-IOV). Record-only: no status is documented.
 */
export function unpairedCapabilities(attributes: Record<string, unknown>, revision: number): string[] {
  const unpaired: string[] = [];
  for (const [hardware, current, since] of PAIRS) {
    if (revision < since) continue;
    const h = present(member(attributes, hardware));
    const c = present(member(attributes, current));
    if (h !== c) unpaired.push(h ? current : hardware);
  }
  if (revision >= 3) {
    const sriov =
      present(member(attributes, 'HardwareSriovCapabilities')) ||
      present(member(attributes, 'CurrentSriovCapabilities'));
    if (sriov) {
      for (const name of ['HardwareNicSwitchCapabilities', 'CurrentNicSwitchCapabilities']) {
        if (!present(member(attributes, name)) && !unpaired.includes(name)) unpaired.push(name);
      }
    }
  }
  return unpaired;
}
