/**
 * The NumPy `.npy` format: the header (magic, version, dict literal) and the
 * decoding of raw little-endian bytes into typed arrays. No I/O here; the
 * zip layer is `zip.ts` and the two meet in `npz.ts`.
 *
 * Supported: format versions 1–3, C order, little-endian or byte-order-free
 * dtypes u1 i1 b1 u2 i2 u4 i4 u8 i8 f4 f8. 64-bit integers are returned as
 * Int32Array (an error if a value does not fit).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * const text = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
 * const bytes = new Uint8Array([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, text.length, 0,
 *   ...new TextEncoder().encode(text), 7, 0, 0, 0, 9, 0, 0, 0]);
 * const h = parseNpyHeader(bytes, bytes.length);
 * assertEquals([h.descr, h.shape, h.itemSize, h.dataStart], ["<i4", [2], 4, 10 + text.length]);
 * assertEquals(decodeNpy(h, bytes.subarray(h.dataStart)), Int32Array.of(7, 9));
 * ```
 * @module
 */

/** The parsed header of one `.npy` array. */
export interface NpyHeader {
  /** NumPy dtype string, e.g. `|u1`, `<i8`. */
  descr: string;
  /** Shape. */
  shape: number[];
  /** Bytes per element. */
  itemSize: number;
  /** Bytes before the data (magic, version, length, header text). */
  dataStart: number;
}

/** Typed arrays a read can return. */
export type NpyData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** Rows read from an array. */
export interface NpyArray {
  /** Values, row-major; 64-bit integers as Int32Array. */
  data: NpyData;
  /** Shape of what was read (first axis = rows read). */
  shape: number[];
  /** The stored dtype. */
  descr: string;
}

/** A problem with a `.npy` array's bytes (the caller adds the file and entry). */
export class NpyFormatError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "NpyFormatError";
  }
}

const ITEM_SIZES: Record<string, number> = {
  u1: 1,
  i1: 1,
  b1: 1,
  u2: 2,
  i2: 2,
  u4: 4,
  i4: 4,
  u8: 8,
  i8: 8,
  f4: 4,
  f8: 8,
};

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** Parses the dict literal of a `.npy` header. */
function parseHeaderText(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    throw new NpyFormatError(`malformed .npy header ${JSON.stringify(text.trim())}`);
  }
  const dims = shape[1].split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new NpyFormatError(`bad shape (${shape[1]}) in .npy header`);
  }
  return { descr: descr[1], fortran: fortran[1] === "True", shape: dims };
}

/**
 * Where the data of an `.npy` array start (the header's length), from its
 * first bytes (at least 12). Throws {@linkcode NpyFormatError} on a bad
 * magic or version.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * const v1 = new Uint8Array([0x93, 78, 85, 77, 80, 89, 1, 0, 118, 0, 0, 0]);
 * assertEquals(npyDataStart(v1), 128);
 * ```
 */
export function npyDataStart(prefix: Uint8Array): number {
  if (prefix.length < 12) {
    throw new NpyFormatError(`entry too short for a .npy header (${prefix.length} bytes)`);
  }
  const magic = String.fromCharCode(...prefix.subarray(1, 6));
  if (prefix[0] !== 0x93 || magic !== "NUMPY") {
    throw new NpyFormatError("not a .npy array (bad magic)");
  }
  const major = prefix[6];
  if (major < 1 || major > 3) {
    throw new NpyFormatError(`unsupported .npy format version ${major}.${prefix[7]}`);
  }
  return major === 1 ? 10 + u16(prefix, 8) : 12 + u32(prefix, 8);
}

/**
 * Parses the header at the start of an `.npy` array of `entrySize` bytes,
 * given its first bytes (at least {@linkcode npyDataStart} of them), and
 * checks that the data fill the rest of the entry exactly. Throws
 * {@linkcode NpyFormatError}.
 *
 * @example
 * ```ts
 * import { assertThrowsMsg } from "../tests/assert.ts";
 * assertThrowsMsg(() => parseNpyHeader(new Uint8Array(12), 12), /bad magic/);
 * ```
 */
export function parseNpyHeader(prefix: Uint8Array, entrySize: number): NpyHeader {
  if (entrySize < 10) {
    throw new NpyFormatError(`entry too short for a .npy header (${entrySize} bytes)`);
  }
  const dataStart = npyDataStart(prefix);
  if (dataStart > entrySize) {
    throw new NpyFormatError(
      `.npy header runs past the entry (${dataStart} > ${entrySize} bytes)`,
    );
  }
  if (dataStart > prefix.length) {
    throw new NpyFormatError(
      `.npy header of ${dataStart} bytes is longer than the ${prefix.length} bytes given`,
    );
  }
  const lenBytes = prefix[6] === 1 ? 2 : 4;
  const parsed = parseHeaderText(
    new TextDecoder().decode(prefix.subarray(8 + lenBytes, dataStart)),
  );
  if (parsed.fortran) throw new NpyFormatError("Fortran-order arrays are not supported");
  const order = parsed.descr[0];
  const itemSize = ITEM_SIZES[parsed.descr.slice(1)];
  if (
    itemSize === undefined ||
    !(order === "<" || order === "|" || (order === "=" && LITTLE_ENDIAN))
  ) {
    throw new NpyFormatError(
      `unsupported dtype '${parsed.descr}' (want little-endian u1 i1 u2 i2 u4 i4 u8 i8 f4 f8)`,
    );
  }
  if (itemSize > 1 && order === "|") {
    throw new NpyFormatError(`unsupported dtype '${parsed.descr}'`);
  }
  const count = parsed.shape.reduce((a, b) => a * b, 1);
  if (dataStart + count * itemSize !== entrySize) {
    throw new NpyFormatError(
      `header says shape (${parsed.shape.join(", ")}) of '${parsed.descr}' = ${
        count * itemSize
      } data bytes, but the entry holds ${entrySize - dataStart}`,
    );
  }
  return { descr: parsed.descr, shape: parsed.shape, itemSize, dataStart };
}

/**
 * Bytes per row (one index along the first axis) of an array.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(npyRowBytes({ descr: "|u1", shape: [10, 32, 32, 3], itemSize: 1, dataStart: 128 }), 3072);
 * ```
 */
export function npyRowBytes(h: NpyHeader): number {
  return h.shape.slice(1).reduce((a, b) => a * b, 1) * h.itemSize;
}

/**
 * Decodes raw little-endian data bytes of an array with header `h` (any
 * whole number of elements). 64-bit integers become Int32Array; a value
 * that does not fit is a {@linkcode NpyFormatError}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * const h = { descr: "<i8", shape: [2], itemSize: 8, dataStart: 128 };
 * const raw = new Uint8Array(BigInt64Array.of(-3n, 5n).buffer);
 * assertEquals(decodeNpy(h, raw), Int32Array.of(-3, 5));
 * ```
 */
export function decodeNpy(h: NpyHeader, raw: Uint8Array): NpyData {
  const kind = h.descr.slice(1);
  const n = raw.length / h.itemSize;
  if (!LITTLE_ENDIAN && h.itemSize > 1) {
    throw new NpyFormatError("big-endian hosts are not supported");
  }
  // typed-array views need an aligned offset; copy when the bytes are not aligned
  const aligned = raw.byteOffset % h.itemSize === 0 ? raw : raw.slice();
  const buffer = aligned.buffer as ArrayBuffer;
  const at = aligned.byteOffset;
  switch (kind) {
    case "u1":
    case "b1":
      return aligned;
    case "i1":
      return new Int8Array(buffer, at, n);
    case "u2":
      return new Uint16Array(buffer, at, n);
    case "i2":
      return new Int16Array(buffer, at, n);
    case "u4":
      return new Uint32Array(buffer, at, n);
    case "i4":
      return new Int32Array(buffer, at, n);
    case "f4":
      return new Float32Array(buffer, at, n);
    case "f8":
      return new Float64Array(buffer, at, n);
    case "i8":
    case "u8": {
      const words = new Int32Array(buffer, at, 2 * n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = words[2 * i];
        const hi = words[2 * i + 1];
        // fits in int32 iff the high word is the sign extension of the low word
        if (hi !== (lo < 0 ? -1 : 0) || (kind === "u8" && hi !== 0)) {
          throw new NpyFormatError(`64-bit value at element ${i} does not fit in int32`);
        }
        out[i] = lo;
      }
      return out;
    }
  }
  throw new NpyFormatError(`unsupported dtype '${h.descr}'`);
}
