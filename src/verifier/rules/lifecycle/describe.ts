/** Report values shared by the lifecycle rules (cold path only). */
import { ndisStatusName } from '../../../ndis/constants.js';
import type { BugCheckMapping } from '../../rule.js';

/** A status as reports show it: its name for a 32-bit value, else the raw value. */
export function statusText(value: unknown): string {
  if (typeof value === 'number') return ndisStatusName(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** True if `value` is one of `statuses` (signed or unsigned 32-bit input). */
export function isOneOf(value: unknown, statuses: readonly number[]): boolean {
  return typeof value === 'number' && Number.isInteger(value) && statuses.includes(value >>> 0);
}

/** BUGCODE_NDIS_DRIVER (0x7C) with parameter 1 `p1` (SPEC §9.3). */
export function ndisBugCheck(p1: number): BugCheckMapping {
  return { code: 0x7c, p1, name: 'BUGCODE_NDIS_DRIVER' };
}
