/**
 * Hex text of trace values, without BigInt on the hot path. Pointers and handles are the unsigned
 * 64-bit value as `"0x…"`; in memory they are the signed value (src/machine/address.ts), so kernel
 * addresses are small negative numbers. Statuses are unsigned 32-bit hex.
 */

const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) DIGIT[48 + i] = i;
for (let i = 0; i < 6; i++) {
  DIGIT[65 + i] = 10 + i;
  DIGIT[97 + i] = 10 + i;
}

const TWO_48 = 2 ** 48;

/**
 * Parses `"0x"` followed by 1 to 16 hex digits into the signed 64-bit value. NaN if the text is not
 * such a value; Infinity if it is one that is not an exact double (a non-canonical address).
 */
export function parseHex64(text: string): number {
  const n = text.length;
  if (n < 3 || n > 18 || text.charCodeAt(0) !== 48 || (text.charCodeAt(1) | 0x20) !== 120) return Number.NaN;
  // Up to 12 low digits (48 bits) are exact in one accumulator; the top 4 digits go in another.
  const split = n > 14 ? n - 12 : 2;
  let hi = 0;
  for (let i = 2; i < split; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? DIGIT[c] : -1;
    if (d < 0) return Number.NaN;
    hi = hi * 16 + d;
  }
  let lo = 0;
  for (let i = split; i < n; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? DIGIT[c] : -1;
    if (d < 0) return Number.NaN;
    lo = lo * 16 + d;
  }
  if (split === 2) return lo;
  // Only a 16-digit value can have bit 63 set: then it is negative in the signed form.
  const value = (hi >= 0x8000 ? hi - 0x10000 : hi) * TWO_48 + lo;
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/**
 * The unsigned 64-bit hex of a signed value, as `formatAddress` prints it: minimal digits up to
 * 32 bits, 16 digits above (`0x1000`, `0xffffc60a1b2c3000`).
 */
export function hex64(value: number): string {
  if (value >= 0) {
    const text = value.toString(16);
    return value > 0xffffffff ? `0x${text.padStart(16, '0')}` : `0x${text}`;
  }
  const hi = Math.floor(value / TWO_48);
  const lo = value - hi * TWO_48;
  return `0x${(hi + 0x10000).toString(16)}${lo.toString(16).padStart(12, '0')}`;
}

/** A 32-bit value (a status) as unsigned hex: `0xc000009a`, `0x0`. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
