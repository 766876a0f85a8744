/**
 * Reads NumPy `.npz` files (a zip of `.npy` arrays) without Python, and
 * without reading more than it needs: the zip central directory is parsed
 * here (zip64 included — `np.savez` always writes zip64 local headers), rows
 * of a stored (uncompressed) entry are read by offset with seek + read, and
 * deflated entries (`np.savez_compressed`) are stream-inflated, keeping only
 * the requested rows.
 *
 * Supported `.npy`: format versions 1–3, C order, little-endian or
 * byte-order-free dtypes u1 i1 u2 i2 u4 i4 u8 i8 f4 f8. 64-bit integers are
 * returned as Int32Array (an error if a value does not fit).
 *
 * @example
 * ```ts
 * import { NpzFile } from "./npz.ts";
 * const npz = await NpzFile.open("part0.npz");
 * try {
 *   const images = await npz.readRows("X", [0, 5, 7]); // 3 × 32 × 32 × 3 uint8
 *   console.log(images.shape, npz.bytesRead);
 * } finally {
 *   npz.close();
 * }
 * ```
 * @module
 */
import { Inflate } from "fflate";

/** A problem with an `.npz` file; the message starts with the file's path. */
export class NpzError extends Error {
  /** The file. */
  readonly file: string;
  /** Creates an error for `file`. */
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "NpzError";
    this.file = file;
  }
}

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

/** One entry of the zip's central directory. */
export interface NpzEntry {
  /** Array name (entry name without `.npy`). */
  key: string;
  /** Entry name in the zip. */
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  /** Compressed size in bytes. */
  compressedSize: number;
  /** Uncompressed size in bytes. */
  size: number;
  /** Offset of the local file header. */
  localHeaderOffset: number;
  /** CRC-32 of the uncompressed content, from the central directory. */
  crc32: number;
}

/** CRC-32 (IEEE 802.3, as zip uses) lookup table. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Updates a running CRC-32 with `bytes`; start from 0, the result is the
 * zip CRC of everything fed so far.
 *
 * @example
 * ```ts
 * import { crc32 } from "./npz.ts";
 * crc32(0, new TextEncoder().encode("123456789")).toString(16); // "cbf43926"
 * ```
 */
export function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
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

const DTYPES: Record<string, number> = {
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
const CHUNK = 1 << 20;
const MAX_COALESCE = 8 << 20;

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>>
    0;
}
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 2 ** 32;
}

/** Parses the dict literal of a `.npy` header. */
function parseHeaderText(
  text: string,
): { descr: string; fortran: boolean; shape: number[] } | string {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    return `malformed .npy header ${JSON.stringify(text.trim())}`;
  }
  const dims = shape[1].split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    return `bad shape (${shape[1]}) in .npy header`;
  }
  return { descr: descr[1], fortran: fortran[1] === "True", shape: dims };
}

/** An open `.npz` file; call {@linkcode NpzFile.close} when done. */
export class NpzFile {
  #path: string;
  #file: Deno.FsFile;
  #size: number;
  #entries: Map<string, NpzEntry>;
  #dataOffsets = new Map<string, number>();
  /** Deflated entries whose CRC-32 has been checked over the whole entry. */
  #crcChecked = new Set<string>();
  #headers = new Map<string, NpyHeader>();
  #bytesRead = 0;

  private constructor(path: string, file: Deno.FsFile, size: number) {
    this.#path = path;
    this.#file = file;
    this.#size = size;
    this.#entries = new Map();
  }

  /**
   * Opens a file and reads its central directory.
   *
   * @example
   * ```ts
   * import { NpzFile } from "./npz.ts";
   * const npz = await NpzFile.open("arrays.npz");
   * console.log(npz.keys());
   * npz.close();
   * ```
   */
  static async open(path: string): Promise<NpzFile> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new NpzError(path, "file not found");
      }
      throw e;
    }
    const npz = new NpzFile(path, file, (await file.stat()).size);
    try {
      await npz.#readDirectory();
    } catch (e) {
      file.close();
      throw e;
    }
    return npz;
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /** Bytes read from disk so far (directory, headers and data). */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Array names, in directory order. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** The directory entry of an array; NpzError if absent. */
  entry(key: string): NpzEntry {
    const e = this.#entries.get(key);
    if (!e) {
      throw new NpzError(
        this.#path,
        `no array "${key}" (has: ${this.keys().map((k) => `"${k}"`).join(", ") || "none"})`,
      );
    }
    return e;
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }

  #fail(message: string): never {
    throw new NpzError(this.#path, message);
  }

  async #readAt(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.#size) {
      this.#fail(
        `truncated: wanted bytes ${offset}..${offset + length} but the file has ${this.#size}`,
      );
    }
    const out = new Uint8Array(length);
    await this.#file.seek(offset, Deno.SeekMode.Start);
    let got = 0;
    while (got < length) {
      const n = await this.#file.read(out.subarray(got));
      if (n === null) {
        this.#fail(`truncated: unexpected end of file at byte ${offset + got}`);
      }
      got += n;
    }
    this.#bytesRead += length;
    return out;
  }

  async #readDirectory(): Promise<void> {
    const tailLen = Math.min(this.#size, 22 + 0xffff + 20);
    const tailStart = this.#size - tailLen;
    const tail = await this.#readAt(tailStart, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (
        u32(tail, i) === 0x06054b50 && i + 22 + u16(tail, i + 20) <= tailLen
      ) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      this.#fail(
        "not a zip file, or truncated (no end-of-central-directory record)",
      );
    }
    let count = u16(tail, eocd + 10);
    let cdSize = u32(tail, eocd + 12);
    let cdOffset = u32(tail, eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || u32(tail, loc) !== 0x07064b50) {
        this.#fail("zip64 end-of-central-directory locator missing");
      }
      const rec = await this.#readAt(u64(tail, loc + 8), 56);
      if (u32(rec, 0) !== 0x06064b50) {
        this.#fail("zip64 end-of-central-directory record missing");
      }
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    const cd = await this.#readAt(cdOffset, cdSize);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || u32(cd, at) !== 0x02014b50) {
        this.#fail(`corrupt central directory (entry ${i})`);
      }
      const flags = u16(cd, at + 8);
      const method = u16(cd, at + 10);
      const crc = u32(cd, at + 16);
      let compressedSize = u32(cd, at + 20);
      let size = u32(cd, at + 24);
      const nameLen = u16(cd, at + 28);
      const extraLen = u16(cd, at + 30);
      const commentLen = u16(cd, at + 32);
      let localHeaderOffset = u32(cd, at + 42);
      const name = new TextDecoder().decode(
        cd.subarray(at + 46, at + 46 + nameLen),
      );
      // zip64 extended information: only the fields saturated above, in this order
      let ex = at + 46 + nameLen;
      const exEnd = ex + extraLen;
      while (ex + 4 <= exEnd) {
        const id = u16(cd, ex);
        const len = u16(cd, ex + 2);
        if (id === 0x0001) {
          let f = ex + 4;
          if (size === 0xffffffff) [size, f] = [u64(cd, f), f + 8];
          if (compressedSize === 0xffffffff) {
            [compressedSize, f] = [u64(cd, f), f + 8];
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(cd, f);
        }
        ex += 4 + len;
      }
      at = exEnd + commentLen;
      if (!name.endsWith(".npy")) continue;
      const key = name.slice(0, -4);
      if (flags & 1) this.#fail(`${name} is encrypted`);
      if (method !== 0 && method !== 8) {
        this.#fail(
          `${name} uses zip compression method ${method}; only stored (0) and deflated (8) are supported`,
        );
      }
      this.#entries.set(key, {
        key,
        name,
        method,
        compressedSize,
        size,
        localHeaderOffset,
        crc32: crc,
      });
    }
  }

  async #dataOffset(e: NpzEntry): Promise<number> {
    let off = this.#dataOffsets.get(e.key);
    if (off === undefined) {
      const local = await this.#readAt(e.localHeaderOffset, 30);
      if (u32(local, 0) !== 0x04034b50) {
        this.#fail(`corrupt local header for ${e.name}`);
      }
      off = e.localHeaderOffset + 30 + u16(local, 26) + u16(local, 28);
      if (off + e.compressedSize > this.#size) {
        this.#fail(
          `truncated: ${e.name} needs bytes ${off}..${
            off + e.compressedSize
          } but the file has ${this.#size}`,
        );
      }
      this.#dataOffsets.set(e.key, off);
    }
    return off;
  }

  /**
   * Streams the uncompressed bytes of a deflated entry to `sink(chunk, pos)`
   * until the sink returns false or the entry ends.
   */
  async #inflate(
    e: NpzEntry,
    sink: (chunk: Uint8Array, pos: number) => boolean,
  ): Promise<void> {
    const start = await this.#dataOffset(e);
    let pos = 0;
    let more = true;
    // The first read of a deflated entry inflates all of it once, to check its
    // CRC-32 as numpy does (a flipped byte can still inflate); later reads stop
    // at the last byte they need.
    const checkCrc = !this.#crcChecked.has(e.key);
    let crc = 0;
    const inflater = new Inflate((chunk) => {
      if (checkCrc) crc = crc32(crc, chunk);
      if (more && chunk.length > 0) more = sink(chunk, pos);
      pos += chunk.length;
    });
    try {
      // chunks grow from 64 KiB to 1 MiB, so that a header costs little
      for (
        let off = 0, chunk = CHUNK >> 4;
        off < e.compressedSize && (more || checkCrc);
        off += chunk, chunk = Math.min(2 * chunk, CHUNK)
      ) {
        const len = Math.min(chunk, e.compressedSize - off);
        inflater.push(
          await this.#readAt(start + off, len),
          off + len >= e.compressedSize,
        );
      }
    } catch (err) {
      if (err instanceof NpzError) throw err;
      this.#fail(
        `corrupt deflate data in ${e.name}: ${(err as Error).message}`,
      );
    }
    if (checkCrc) {
      if (pos !== e.size) {
        this.#fail(`corrupt ${e.name}: inflates to ${pos} bytes, the zip directory says ${e.size}`);
      }
      if (crc !== e.crc32) {
        this.#fail(
          `corrupt ${e.name}: CRC-32 ${
            crc.toString(16).padStart(8, "0")
          } does not match the zip directory's ${
            e.crc32.toString(16).padStart(8, "0")
          } (damaged file; re-download it)`,
        );
      }
      this.#crcChecked.add(e.key);
    }
  }

  /** Reads bytes [from, to) of an entry's uncompressed content. */
  async #entryBytes(
    e: NpzEntry,
    from: number,
    to: number,
  ): Promise<Uint8Array> {
    if (e.method === 0) {
      return await this.#readAt((await this.#dataOffset(e)) + from, to - from);
    }
    const out = new Uint8Array(to - from);
    let filled = 0;
    await this.#inflate(e, (chunk, pos) => {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + chunk.length);
      if (b > a) {
        out.set(chunk.subarray(a - pos, b - pos), a - from);
        filled += b - a;
      }
      return pos + chunk.length < to;
    });
    if (filled < to - from) {
      this.#fail(`truncated: ${e.name} ends before byte ${to}`);
    }
    return out;
  }

  /**
   * The `.npy` header of an array: dtype, shape, and where its data starts.
   * Checks the header against the entry's size.
   *
   * @example
   * ```ts
   * import { NpzFile } from "./npz.ts";
   * const npz = await NpzFile.open("part0.npz");
   * (await npz.header("X")).shape; // e.g. [1000448, 32, 32, 3]
   * npz.close();
   * ```
   */
  async header(key: string): Promise<NpyHeader> {
    const cached = this.#headers.get(key);
    if (cached) return cached;
    const e = this.entry(key);
    if (e.size < 10) {
      this.#fail(
        `${e.name}: entry too short for a .npy header (${e.size} bytes)`,
      );
    }
    const pre = await this.#entryBytes(e, 0, Math.min(e.size, 512)); // numpy headers are 128 bytes or so
    const magic = String.fromCharCode(...pre.subarray(1, 6));
    if (pre[0] !== 0x93 || magic !== "NUMPY") {
      this.#fail(`${e.name}: not a .npy array (bad magic)`);
    }
    const major = pre[6];
    if (major < 1 || major > 3) {
      this.#fail(
        `${e.name}: unsupported .npy format version ${major}.${pre[7]}`,
      );
    }
    const lenBytes = major === 1 ? 2 : 4;
    const textLen = major === 1 ? u16(pre, 8) : u32(pre, 8);
    const dataStart = 8 + lenBytes + textLen;
    if (dataStart > e.size) {
      this.#fail(
        `${e.name}: .npy header runs past the entry (${dataStart} > ${e.size} bytes)`,
      );
    }
    const textBytes = dataStart <= pre.length
      ? pre.subarray(8 + lenBytes, dataStart)
      : await this.#entryBytes(e, 8 + lenBytes, dataStart);
    const text = new TextDecoder().decode(textBytes);
    const parsed = parseHeaderText(text);
    if (typeof parsed === "string") this.#fail(`${e.name}: ${parsed}`);
    if (parsed.fortran) {
      this.#fail(`${e.name}: Fortran-order arrays are not supported`);
    }
    const order = parsed.descr[0];
    const itemSize = DTYPES[parsed.descr.slice(1)];
    if (
      itemSize === undefined ||
      !(order === "<" || order === "|" || (order === "=" && LITTLE_ENDIAN))
    ) {
      this.#fail(
        `${e.name}: unsupported dtype '${parsed.descr}' (want little-endian u1 i1 u2 i2 u4 i4 u8 i8 f4 f8)`,
      );
    }
    if (itemSize > 1 && order === "|") {
      this.#fail(`${e.name}: unsupported dtype '${parsed.descr}'`);
    }
    const count = parsed.shape.reduce((a, b) => a * b, 1);
    if (dataStart + count * itemSize !== e.size) {
      this.#fail(
        `${e.name}: header says shape (${parsed.shape.join(", ")}) of '${parsed.descr}' = ${
          count * itemSize
        } data bytes, but the entry holds ${e.size - dataStart}`,
      );
    }
    const header = {
      descr: parsed.descr,
      shape: parsed.shape,
      itemSize,
      dataStart,
    };
    this.#headers.set(key, header);
    return header;
  }

  /**
   * Reads the given rows (indices along the first axis, any order, repeats
   * allowed) of an array; row i of the result is row `rows[i]`. Stored
   * entries: only those rows' bytes are read (adjacent rows in one read).
   * Deflated entries: the entry is inflated in streaming fashion up to the
   * last requested row, keeping only the requested rows.
   *
   * @example
   * ```ts
   * import { NpzFile } from "./npz.ts";
   * const npz = await NpzFile.open("part0.npz");
   * const y = await npz.readRows("Y", [3, 1]);
   * console.log(y.data); // Int32Array of 2 labels
   * npz.close();
   * ```
   */
  async readRows(key: string, rows: ArrayLike<number>): Promise<NpyArray> {
    const h = await this.header(key);
    const e = this.entry(key);
    if (h.shape.length === 0) this.#fail(`${e.name}: a 0-d array has no rows`);
    const nRows = h.shape[0];
    const rowBytes = (h.shape.slice(1).reduce((a, b) => a * b, 1)) * h.itemSize;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= nRows) {
        this.#fail(`${e.name}: row index ${r} out of range [0, ${nRows})`);
      }
    }
    const unique = Float64Array.from(new Set(Array.from(rows))).sort();
    const where = new Map<number, number>();
    unique.forEach((r, i) => where.set(r, i));
    const buf = new Uint8Array(unique.length * rowBytes);
    if (rowBytes > 0 && unique.length > 0) {
      if (e.method === 0) {
        await this.#readStoredRows(e, h, unique, rowBytes, buf);
      } else await this.#readDeflatedRows(e, h, unique, rowBytes, buf);
    }
    let raw = buf;
    if (unique.length !== rows.length || unique.some((r, i) => r !== rows[i])) {
      raw = new Uint8Array(rows.length * rowBytes);
      for (let i = 0; i < rows.length; i++) {
        const u = where.get(rows[i])!;
        raw.set(buf.subarray(u * rowBytes, (u + 1) * rowBytes), i * rowBytes);
      }
    }
    return {
      data: this.#decode(e, h, raw),
      shape: [rows.length, ...h.shape.slice(1)],
      descr: h.descr,
    };
  }

  /**
   * Reads a whole array.
   *
   * @example
   * ```ts
   * import { NpzFile } from "./npz.ts";
   * const npz = await NpzFile.open("part0.npz");
   * const labels = await npz.read("Y");
   * npz.close();
   * ```
   */
  async read(key: string): Promise<NpyArray> {
    const h = await this.header(key);
    const e = this.entry(key);
    const raw = await this.#entryBytes(e, h.dataStart, e.size);
    return { data: this.#decode(e, h, raw), shape: h.shape, descr: h.descr };
  }

  async #readStoredRows(
    e: NpzEntry,
    h: NpyHeader,
    unique: Float64Array,
    rowBytes: number,
    out: Uint8Array,
  ): Promise<void> {
    const base = (await this.#dataOffset(e)) + h.dataStart;
    let i = 0;
    while (i < unique.length) {
      let j = i + 1;
      while (
        j < unique.length && unique[j] === unique[j - 1] + 1 &&
        (j - i + 1) * rowBytes <= MAX_COALESCE
      ) j++;
      const bytes = await this.#readAt(
        base + unique[i] * rowBytes,
        (j - i) * rowBytes,
      );
      out.set(bytes, i * rowBytes);
      i = j;
    }
  }

  async #readDeflatedRows(
    e: NpzEntry,
    h: NpyHeader,
    unique: Float64Array,
    rowBytes: number,
    out: Uint8Array,
  ): Promise<void> {
    let next = 0; // first unique row not yet complete
    await this.#inflate(e, (chunk, pos) => {
      const end = pos + chunk.length;
      while (next < unique.length) {
        const rs = h.dataStart + unique[next] * rowBytes;
        const re = rs + rowBytes;
        if (rs >= end) break;
        const a = Math.max(rs, pos);
        const b = Math.min(re, end);
        if (b > a) {
          out.set(chunk.subarray(a - pos, b - pos), next * rowBytes + (a - rs));
        }
        if (re <= end) next++;
        else break;
      }
      return next < unique.length;
    });
    if (next < unique.length) {
      this.#fail(`truncated: ${e.name} ends before row ${unique[next]}`);
    }
  }

  #decode(e: NpzEntry, h: NpyHeader, raw: Uint8Array): NpyData {
    const kind = h.descr.slice(1);
    const n = raw.length / h.itemSize;
    const buffer = raw.buffer as ArrayBuffer;
    if (!LITTLE_ENDIAN && h.itemSize > 1) {
      this.#fail("big-endian hosts are not supported");
    }
    switch (kind) {
      case "u1":
      case "b1":
        return raw;
      case "i1":
        return new Int8Array(buffer, raw.byteOffset, n);
      case "u2":
        return new Uint16Array(buffer, raw.byteOffset, n);
      case "i2":
        return new Int16Array(buffer, raw.byteOffset, n);
      case "u4":
        return new Uint32Array(buffer, raw.byteOffset, n);
      case "i4":
        return new Int32Array(buffer, raw.byteOffset, n);
      case "f4":
        return new Float32Array(buffer, raw.byteOffset, n);
      case "f8":
        return new Float64Array(buffer, raw.byteOffset, n);
      case "i8":
      case "u8": {
        const words = new Int32Array(buffer, raw.byteOffset, 2 * n);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const lo = words[2 * i];
          const hi = words[2 * i + 1];
          // fits in int32 iff the high word is the sign extension of the low word
          if (hi !== (lo < 0 ? -1 : 0) || (kind === "u8" && hi !== 0)) {
            this.#fail(
              `${e.name}: 64-bit value at element ${i} does not fit in int32`,
            );
          }
          out[i] = lo;
        }
        return out;
      }
    }
    this.#fail(`${e.name}: unsupported dtype '${h.descr}'`);
  }
}

/**
 * Opens an `.npz` file, runs `fn`, closes the file.
 *
 * @example
 * ```ts
 * import { withNpz } from "./npz.ts";
 * const y = await withNpz("part0.npz", (npz) => npz.read("Y"));
 * ```
 */
export async function withNpz<T>(
  path: string,
  fn: (npz: NpzFile) => Promise<T>,
): Promise<T> {
  const npz = await NpzFile.open(path);
  try {
    return await fn(npz);
  } finally {
    npz.close();
  }
}
