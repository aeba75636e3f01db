/**
 * Validation of NDIS_MINIPORT_DRIVER_CHARACTERISTICS for NdisMRegisterMiniportDriver (SPEC §2.2,
 * D17, D26, D27). Cold path: once per registration. The structure is read the way NDIS reads it —
 * only the members of the revision the header claims — and never trusted: any member may be missing
 * or of the wrong type.
 */
import {
  NDIS_INTERMEDIATE_DRIVER,
  NDIS_MINIPORT_MAJOR_VERSION,
  NDIS_MINIPORT_MINOR_VERSIONS,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3,
  NDIS_STATUS_BAD_CHARACTERISTICS,
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import type { NDIS_MINIPORT_DRIVER_CHARACTERISTICS } from '../ndis/types.js';
import type { CharacteristicsProblem } from '../verifier/events/lifecycle.js';

/** One problem found in the characteristics. */
export interface CharacteristicsFinding {
  readonly problem: CharacteristicsProblem;
  readonly fields: readonly string[];
  readonly found: unknown;
  readonly expected: unknown;
  /** Header problems map to bug check 0x7C / 0x21 (D17). */
  readonly header: boolean;
}

/** The outcome of the check: the status to return, what was found, and NDIS's copy when accepted. */
export interface CharacteristicsCheck {
  readonly status: number;
  readonly findings: readonly CharacteristicsFinding[];
  readonly copy: Readonly<NDIS_MINIPORT_DRIVER_CHARACTERISTICS> | null;
}

/**
 * Required in every NDIS 6 miniport (the structure's page). OidRequestHandler is required "for all
 * connection-less miniport drivers"; CoNDIS is outside this package's scope, so it is required here.
 */
export const REQUIRED_HANDLERS = Object.freeze([
  'InitializeHandlerEx',
  'HaltHandlerEx',
  'UnloadHandler',
  'PauseHandler',
  'RestartHandler',
  'OidRequestHandler',
  'SendNetBufferListsHandler',
  'ReturnNetBufferListsHandler',
  'CancelSendHandler',
  'DevicePnPEventNotifyHandler',
  'ShutdownHandlerEx',
  'CancelOidRequestHandler',
] as const);

/** Handler members per revision, in header order (revision 2 adds two, revision 3 one). */
const HANDLERS: readonly (readonly string[])[] = [
  [],
  [
    'SetOptionsHandler',
    'InitializeHandlerEx',
    'HaltHandlerEx',
    'UnloadHandler',
    'PauseHandler',
    'RestartHandler',
    'OidRequestHandler',
    'SendNetBufferListsHandler',
    'ReturnNetBufferListsHandler',
    'CancelSendHandler',
    'CheckForHangHandlerEx',
    'ResetHandlerEx',
    'DevicePnPEventNotifyHandler',
    'ShutdownHandlerEx',
    'CancelOidRequestHandler',
  ],
  ['DirectOidRequestHandler', 'CancelDirectOidRequestHandler'],
  ['SynchronousOidRequestHandler'],
];

/** NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_n by revision. */
const SIZES = [
  0,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3,
];

/** The lowest minor NDIS version each revision needs (D26: 2 needs 6.1, 3 needs 6.80). */
const MIN_MINOR = [0, 0, 1, 80];

/** A plain value that can be read as a structure. */
export function isStructure(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** Reads a member without trusting the object (a throwing getter reads as undefined). */
export function member(value: Record<string, unknown>, name: string): unknown {
  try {
    return value[name];
  } catch {
    return undefined;
  }
}

function finding(
  problem: CharacteristicsProblem,
  fields: readonly string[],
  found: unknown,
  expected: unknown,
  header = false,
): CharacteristicsFinding {
  return Object.freeze({ problem, fields: Object.freeze([...fields]), found, expected, header });
}

function rejected(status: number, f: CharacteristicsFinding): CharacteristicsCheck {
  return { status, findings: [f], copy: null };
}

/** Checks the characteristics and, when NDIS accepts them, makes its own copy (later changes have no effect). */
export function checkCharacteristics(value: unknown): CharacteristicsCheck {
  const BAD_CHAR = NDIS_STATUS_BAD_CHARACTERISTICS;
  if (!isStructure(value)) {
    return rejected(BAD_CHAR, finding('not-a-structure', [], value, 'a structure', true));
  }
  const header = member(value, 'Header');
  if (!isStructure(header)) {
    return rejected(BAD_CHAR, finding('not-a-structure', ['Header'], header, 'an NDIS_OBJECT_HEADER', true));
  }
  const type = member(header, 'Type');
  if (type !== NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS) {
    return rejected(BAD_CHAR, finding('header-type', ['Header.Type'], type, 0x8a, true));
  }
  const major = member(value, 'MajorNdisVersion');
  if (major !== NDIS_MINIPORT_MAJOR_VERSION) {
    return rejected(NDIS_STATUS_BAD_VERSION, finding('major-version', ['MajorNdisVersion'], major, 6));
  }
  const minor = member(value, 'MinorNdisVersion');
  if (!(NDIS_MINIPORT_MINOR_VERSIONS as readonly unknown[]).includes(minor)) {
    return rejected(
      NDIS_STATUS_BAD_VERSION,
      finding('minor-version', ['MinorNdisVersion'], minor, NDIS_MINIPORT_MINOR_VERSIONS.join(', ')),
    );
  }
  const revision = member(header, 'Revision');
  if (
    typeof revision !== 'number' ||
    !(revision >= 1 && revision <= 3) ||
    !Number.isInteger(revision) ||
    (minor as number) < MIN_MINOR[revision]
  ) {
    const allowed = [1, 2, 3].filter((r) => (minor as number) >= MIN_MINOR[r]).join(', ');
    return rejected(
      NDIS_STATUS_BAD_VERSION,
      finding('revision', ['Header.Revision'], revision, `${allowed} for NDIS 6.${minor}`, true),
    );
  }
  const size = member(header, 'Size');
  if (typeof size !== 'number' || !(size >= SIZES[revision])) {
    return rejected(BAD_CHAR, finding('size', ['Header.Size'], size, `>= ${SIZES[revision]}`, true));
  }
  return checkHandlers(value, revision, minor as number);
}

/** The handler members of an otherwise well-formed structure (each a function or NULL). */
function checkHandlers(
  value: Record<string, unknown>,
  revision: number,
  minor: number,
): CharacteristicsCheck {
  const names = HANDLERS.slice(1, revision + 1).flat();
  const handlers: Record<string, unknown> = {};
  const wrongType: string[] = [];
  for (const name of names) {
    const handler = member(value, name);
    if (typeof handler === 'function') handlers[name] = handler;
    else if (handler === null || handler === undefined) handlers[name] = null;
    else {
      wrongType.push(name);
      handlers[name] = null;
    }
  }
  const findings: CharacteristicsFinding[] = [];
  if (wrongType.length > 0) {
    findings.push(finding('handler-type', wrongType, 'a value that is not a function', 'a function or NULL'));
  }
  const missing = REQUIRED_HANDLERS.filter((name) => handlers[name] === null && !wrongType.includes(name));
  if (missing.length > 0) findings.push(finding('missing-handler', missing, 'NULL', 'a function'));
  if (handlers.CheckForHangHandlerEx !== null && handlers.ResetHandlerEx === null) {
    findings.push(
      finding('reset-handler', ['ResetHandlerEx'], 'NULL', 'a function with CheckForHangHandlerEx'),
    );
  }
  if (
    revision >= 2 &&
    (handlers.DirectOidRequestHandler === null) !== (handlers.CancelDirectOidRequestHandler === null)
  ) {
    findings.push(
      finding(
        'direct-oid-pair',
        ['DirectOidRequestHandler', 'CancelDirectOidRequestHandler'],
        'one of the two',
        'both or neither',
      ),
    );
  }
  const flags = member(value, 'Flags');
  const intermediate = typeof flags === 'number' && (flags & NDIS_INTERMEDIATE_DRIVER) !== 0;
  const rejecting = findings.length > 0;
  // Record-only: the page says "must be NULL" for intermediate drivers but gives no status.
  if (intermediate && handlers.CheckForHangHandlerEx !== null) {
    findings.push(finding('im-check-for-hang', ['CheckForHangHandlerEx'], 'a function', 'NULL'));
  }
  if (rejecting) return { status: NDIS_STATUS_BAD_CHARACTERISTICS, findings, copy: null };
  const header = member(value, 'Header') as Record<string, unknown>;
  const copy = Object.freeze({
    Header: Object.freeze({
      Type: member(header, 'Type') as number,
      Revision: revision,
      Size: member(header, 'Size') as number,
    }),
    MajorNdisVersion: NDIS_MINIPORT_MAJOR_VERSION,
    MinorNdisVersion: minor,
    MajorDriverVersion: numberOr(member(value, 'MajorDriverVersion')),
    MinorDriverVersion: numberOr(member(value, 'MinorDriverVersion')),
    Flags: numberOr(flags),
    ...handlers,
  }) as Readonly<NDIS_MINIPORT_DRIVER_CHARACTERISTICS>;
  return { status: NDIS_STATUS_SUCCESS, findings, copy };
}

function numberOr(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}
