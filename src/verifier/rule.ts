/**
 * What a rule is: data (id, title, official page, severity, bug-check mapping) plus observers of the
 * engine's check points. Rules read engine state through the events; they never change it.
 */

import type { Events } from './events.js';
import type { Verifier } from './verifier.js';

/** How serious a finding is. Notes (e.g. a deprecated DDI) never stop a run. */
export type Severity = 'error' | 'warning' | 'note';

/** The bug check a violation maps to under the bug-check policy (SPEC §9.3, §9.4, D39). */
export interface BugCheckMapping {
  /** Bug-check code: 0x7C BUGCODE_NDIS_DRIVER, 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION, ... */
  readonly code: number;
  /** Parameter 1 (the sub-reason) and its documented name. */
  readonly p1: number;
  readonly name: string;
}

/** Observers of the engine's check points, by event name. */
export type Observers = { readonly [K in keyof Events]?: (v: Verifier, e: Events[K]) => void };

/** A verification rule. */
export interface RuleDef {
  /** The official name where the documentation gives one, else a descriptive id in that style. */
  readonly id: string;
  /** One line saying what the rule requires. */
  readonly title: string;
  /** The official page that states the rule. */
  readonly link: string;
  readonly severity: Severity;
  /** The bug check it maps to, or undefined when the documentation gives none (D39). */
  readonly bugCheck?: BugCheckMapping;
  readonly observe: Observers;
  /** The conformance test file that breaks and keeps it, when not `<id>.test.ts` (table-driven rules). */
  readonly conformance?: string;
}

/** Base of the official DDI reference pages. */
export const DDI = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/';
/** Base of the official conceptual and Driver Verifier pages. */
export const DEVTEST = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/devtest/';
export const NETWORK = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/network/';
export const DEBUGGER = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/debugger/';

/** Declares a rule (identity function that freezes and type-checks). */
export function rule(def: RuleDef): RuleDef {
  return Object.freeze(def);
}
