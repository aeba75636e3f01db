/**
 * 64-bit addresses as JavaScript numbers.
 *
 * An address is held as the *signed* 64-bit value of its canonical form: kernel addresses such as
 * 0xFFFFC60A1B2C3000 are small negative numbers (-0x39F5E4D3D000), user and physical addresses are
 * non-negative. Every canonical x64/Arm64 48-bit address and every physical address below 2^53 is
 * then an exact double, so the hot path keys Maps and does arithmetic on plain numbers, never on
 * BigInt. See docs/decisions.md, "Address representation".
 */

const TWO_64 = 1n << 64n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The NULL pointer. */
export const NULL = 0;

/** Formats an address as the unsigned 64-bit hex a debugger would print (`0xffffc60a1b2c3000`). */
export function formatAddress(address: number | bigint): string {
  if (typeof address === 'number' && !Number.isInteger(address)) return String(address);
  let value = typeof address === 'bigint' ? address : BigInt(address);
  if (value < 0n) value += TWO_64;
  return `0x${value.toString(16).padStart(value > 0xffffffffn ? 16 : 1, '0')}`;
}

/**
 * Parses an unsigned 64-bit hex string (`"0xffffc60a1b2c3000"`) or a decimal string into the signed
 * representation. Returns a bigint only for the rare value that is not an exact double (a
 * non-canonical address); such values still work as Map keys, only more slowly.
 */
export function parseAddress(text: string): number | bigint | undefined {
  const trimmed = text.trim();
  if (!/^(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(trimmed)) return undefined;
  let value = BigInt(trimmed);
  if (value >= TWO_64) return undefined;
  if (value >= 1n << 63n) value -= TWO_64;
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** True if `value` is a usable address value (an integral number or a bigint). */
export function isAddress(value: unknown): value is number | bigint {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint';
}
