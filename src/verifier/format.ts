/** Turning raw DDI arguments into report values (cold path only). */
import { formatAddress } from '../machine/address.js';

/** A handle, context or other opaque value as a report shows it. */
export function describeHandle(value: unknown): unknown {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') {
    const name = (value as { name?: unknown }).name;
    return typeof name === 'string' ? name : '<object that is not an NDIS handle>';
  }
  if (typeof value === 'number' || typeof value === 'bigint') return formatAddress(value);
  return String(value);
}

/** An address argument as hex (or the raw value if it is not a number). */
export function describeAddress(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'bigint' ? formatAddress(value) : String(value);
}

/** A pool tag as its four characters in memory order plus the value (`'NDam' (0x6d61444e)`). */
export function describeTag(value: unknown): unknown {
  if (typeof value !== 'number') return String(value);
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
