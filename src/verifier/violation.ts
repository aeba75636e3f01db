/** Violations (immutable values) and the BugCheck a run stops with under the bug-check policy. */
import { formatAddress } from '../machine/address.js';
import type { ContextSnapshot } from '../machine/context.js';
import type { Severity } from './rule.js';

/** A bug check as the kernel would raise it: the code and its four parameters. */
export interface BugCheckInfo {
  readonly code: number;
  readonly name: string;
  readonly parameters: readonly [number, number, number, number];
}

/** One finding: what rule was broken, by which call, in which context, and where. */
export interface Violation {
  /** Order of the finding within its run (0-based). */
  readonly sequence: number;
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly link: string;
  readonly message: string;
  /** The DDI (or callback edge) that broke the rule. */
  readonly ddi: string;
  /** Its arguments by their documented names, as passed (addresses formatted as hex). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly irql: number;
  readonly context: ContextSnapshot;
  /** The driver and adapter the finding is charged to, by name. */
  readonly driver: string | null;
  readonly adapter: string | null;
  /** Where the resource concerned was allocated (driver frames), when captured. */
  readonly allocationSite: readonly string[];
  /** Where the offending call was made (driver frames), when captured. */
  readonly site: readonly string[];
  /** Simulated time of the finding, in 100-ns ticks. */
  readonly time: number;
  /** The bug check this finding stops a run with under the bug-check policy, if one is documented. */
  readonly bugCheck: BugCheckInfo | null;
}

/** Thrown to stop a run like a bug check. */
export class BugCheck extends Error {
  override readonly name = 'BugCheck';
  constructor(
    readonly info: BugCheckInfo | null,
    readonly violation: Violation,
  ) {
    super(
      info
        ? `bug check 0x${info.code.toString(16).toUpperCase()} (${info.parameters.map((p) => formatAddress(p)).join(', ')}) ${info.name}: ${violation.message}`
        : `stopped at ${violation.rule}: ${violation.message}`,
    );
  }
}
