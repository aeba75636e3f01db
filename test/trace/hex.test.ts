/** 64-bit hex of trace values, against the BigInt reference in src/machine/address.ts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from '../../src/machine/address.js';
import { hex32, hex64, parseHex64 } from '../../src/trace/hex.js';

const anyUint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('parseHex64', () => {
  it('parses canonical kernel and user addresses to the signed value', () => {
    expect(parseHex64('0xffffc60a1b2c3000')).toBe(-0x39f5e4d3d000);
    expect(parseHex64('0XFFFFC60A1B2C3000')).toBe(-0x39f5e4d3d000);
    expect(parseHex64('0x0')).toBe(0);
    expect(parseHex64('0x00000000000000ff')).toBe(255);
    expect(parseHex64('0xffffffffffffffff')).toBe(-1);
    expect(parseHex64('0x1fffffffffffff')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('says NaN for text that is not "0x" and 1 to 16 hex digits', () => {
    for (const bad of [
      '',
      '0x',
      '12',
      'x12',
      '0x12g',
      '0x 1',
      '0x11111111111111111',
      '-0x1',
      '0x1.5',
      '0xé',
    ]) {
      expect(parseHex64(bad), bad).toBeNaN();
    }
  });

  it('says Infinity for a value that is not an exact double (a non-canonical address)', () => {
    expect(parseHex64('0x0123456789abcdef')).toBe(Number.POSITIVE_INFINITY);
    expect(parseHex64('0x8000000000000000')).toBe(Number.POSITIVE_INFINITY);
    expect(parseHex64('0x20000000000000')).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with parseAddress on every 64-bit value', () => {
    fc.assert(
      fc.property(anyUint64, fc.boolean(), (value, upper) => {
        let text = `0x${value.toString(16)}`;
        if (upper) text = text.toUpperCase().replace('0X', '0x');
        const reference = parseAddress(text);
        const parsed = parseHex64(text);
        if (typeof reference === 'bigint') expect(parsed).toBe(Number.POSITIVE_INFINITY);
        else expect(parsed).toBe(reference);
      }),
    );
  });
});

describe('hex64 and hex32', () => {
  it('format as formatAddress does, and parse back', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        expect(hex64(value)).toBe(formatAddress(value));
        expect(parseHex64(hex64(value))).toBe(value);
      }),
    );
    expect(hex64(-0x39f5e4d3d000)).toBe('0xffffc60a1b2c3000');
    expect(hex64(0x1000)).toBe('0x1000');
  });

  it('write statuses unsigned', () => {
    expect(hex32(0)).toBe('0x0');
    expect(hex32(0xc000009a)).toBe('0xc000009a');
    expect(hex32(-1073741670)).toBe('0xc000009a');
  });
});
