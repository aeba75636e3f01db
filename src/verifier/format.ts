/** Turning raw DDI arguments into report values (cold path only; never throws on odd input). */
import { formatAddress } from '../machine/address.js';

/** Any value as text, even one whose toString throws or that has no prototype. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A handle, context or other opaque value as a report shows it. */
export function describeHandle(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') {
    const name = (value as { name?: unknown }).name;
    return typeof name === 'string' ? name : '<object that is not an NDIS handle>';
  }
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint')
    return formatAddress(value);
  return describeValue(value);
}

/** An address argument as hex (or the raw value if it is not a number). */
export function describeAddress(value: unknown): string {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
    ? formatAddress(value)
    : describeValue(value);
}

/** A pool tag as its four characters in memory order plus the value (`'NDam' (0x6d61444e)`). */
export function describeTag(value: unknown): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    return describeValue(value);
  }
  let text = '';
  for (let i = 0; i < 4; i++) {
    const c = (value >>> (8 * i)) & 0xff;
    text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return `'${text}' (0x${(value >>> 0).toString(16)})`;
}

/** A numeric value as hex. */
export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
