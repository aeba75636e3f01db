/**
 * Reading and writing simulated memory. A C driver dereferences pointers; a driver written against
 * ndis-sim reads and writes through these, and every access is checked: after a free, past the end
 * of the allocation, or at an address never allocated (NULL included) is reported.
 * NdisMoveMemory, NdisZeroMemory, NdisFillMemory and NdisEqualMemory keep their ndis.h names.
 */
import { isByteCount } from '../engine/access.js';
import { active } from './active.js';
import type { PVOID } from './types.js';

/** Reads one byte. Any IRQL. */
export function readUInt8(Address: PVOID): number {
  const access = active().access;
  const bytes = access.resolve('readUInt8', Address, 1, false);
  return bytes === null ? 0 : bytes[access.offset];
}

/** Reads a little-endian 16-bit value. Any IRQL. */
export function readUInt16LE(Address: PVOID): number {
  const access = active().access;
  const bytes = access.resolve('readUInt16LE', Address, 2, false);
  if (bytes === null) return 0;
  const o = access.offset;
  return bytes[o] | (bytes[o + 1] << 8);
}

/** Reads a little-endian 32-bit value. Any IRQL. */
export function readUInt32LE(Address: PVOID): number {
  const access = active().access;
  const bytes = access.resolve('readUInt32LE', Address, 4, false);
  if (bytes === null) return 0;
  const o = access.offset;
  return (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
}

/** Reads a little-endian 64-bit value. Any IRQL. */
export function readBigUInt64LE(Address: PVOID): bigint {
  const access = active().access;
  const bytes = access.resolve('readBigUInt64LE', Address, 8, false);
  if (bytes === null) return 0n;
  const o = access.offset;
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[o + i]);
  return value;
}

/** Writes one byte. Any IRQL. */
export function writeUInt8(Address: PVOID, Value: number): void {
  const access = active().access;
  const bytes = access.resolve('writeUInt8', Address, 1, true);
  if (bytes !== null) bytes[access.offset] = Value;
}

/** Writes a little-endian 16-bit value. Any IRQL. */
export function writeUInt16LE(Address: PVOID, Value: number): void {
  const access = active().access;
  const bytes = access.resolve('writeUInt16LE', Address, 2, true);
  if (bytes === null) return;
  const o = access.offset;
  bytes[o] = Value;
  bytes[o + 1] = Value >>> 8;
}

/** Writes a little-endian 32-bit value. Any IRQL. */
export function writeUInt32LE(Address: PVOID, Value: number): void {
  const access = active().access;
  const bytes = access.resolve('writeUInt32LE', Address, 4, true);
  if (bytes === null) return;
  const o = access.offset;
  bytes[o] = Value;
  bytes[o + 1] = Value >>> 8;
  bytes[o + 2] = Value >>> 16;
  bytes[o + 3] = Value >>> 24;
}

/** Writes a little-endian 64-bit value. Any IRQL. */
export function writeBigUInt64LE(Address: PVOID, Value: bigint): void {
  const access = active().access;
  const bytes = access.resolve('writeBigUInt64LE', Address, 8, true);
  if (bytes === null) return;
  const o = access.offset;
  let rest = BigInt.asUintN(64, Value);
  for (let i = 0; i < 8; i++) {
    bytes[o + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Copies Length bytes out of simulated memory. Any IRQL. */
export function readBytes(Address: PVOID, Length: number): Uint8Array {
  const access = active().access;
  const bytes = access.resolve('readBytes', Address, Length, false);
  if (bytes !== null) return bytes.slice(access.offset, access.offset + Length);
  // Reported: zeros for a length C could pass, nothing for one it could not.
  return new Uint8Array(isByteCount(Length) ? Math.max(0, Length | 0) : 0);
}

const WRITE_BYTES_PARAMS: readonly string[] = Object.freeze(['Address', 'Source']);

/** Copies the bytes of Source (a Uint8Array, or any typed array or DataView) into simulated memory. Any IRQL. */
export function writeBytes(Address: PVOID, Source: Uint8Array): void {
  const access = active().access;
  const view: unknown = Source;
  if (!ArrayBuffer.isView(view)) {
    const args = [Address, view];
    access.invalidArgument('writeBytes', WRITE_BYTES_PARAMS, 1, args, 'a Uint8Array', 'writes nothing');
    return;
  }
  const bytes = access.resolve('writeBytes', Address, view.byteLength, true);
  if (bytes === null) return;
  // Another typed array or a DataView: its bytes as they lie in memory.
  const from =
    view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  bytes.set(from, access.offset);
}

/**
 * Copies Length bytes from Source to Destination (non-overlapping). Any IRQL for nonpaged memory.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismovememory
 */
export function NdisMoveMemory(Destination: PVOID, Source: PVOID, Length: number): void {
  const access = active().access;
  const from = access.resolve('NdisMoveMemory', Source, Length, false);
  // A bad Length was reported by the first look-up: once is enough.
  if (!isByteCount(Length)) return;
  const fromOffset = access.offset;
  const to = access.resolve('NdisMoveMemory', Destination, Length, true);
  if (from !== null && to !== null) to.set(from.subarray(fromOffset, fromOffset + Length), access.offset);
}

/**
 * Fills Length bytes at Destination with zeros. Any IRQL for nonpaged memory.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndiszeromemory
 */
export function NdisZeroMemory(Destination: PVOID, Length: number): void {
  NdisFillMemory(Destination, Length, 0);
}

/**
 * Fills Length bytes at Destination with Fill. Any IRQL for nonpaged memory.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfillmemory
 */
export function NdisFillMemory(Destination: PVOID, Length: number, Fill: number): void {
  const access = active().access;
  const bytes = access.resolve('NdisFillMemory', Destination, Length, true);
  if (bytes !== null) bytes.fill(Fill, access.offset, access.offset + Length);
}

/**
 * True if Length bytes at Source1 and Source2 are equal. Any IRQL for nonpaged memory.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisequalmemory
 */
export function NdisEqualMemory(Source1: PVOID, Source2: PVOID, Length: number): boolean {
  const access = active().access;
  const a = access.resolve('NdisEqualMemory', Source1, Length, false);
  if (!isByteCount(Length)) return false;
  const aOffset = access.offset;
  const b = access.resolve('NdisEqualMemory', Source2, Length, false);
  if (a === null || b === null) return false;
  const bOffset = access.offset;
  for (let i = 0; i < Length; i++) if (a[aOffset + i] !== b[bOffset + i]) return false;
  return true;
}
