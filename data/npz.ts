/**
 * Reads NumPy `.npz` files (a zip of `.npy` arrays) without Python, and
 * without reading more than it needs: rows of a stored (uncompressed) entry
 * — what `np.savez` writes, and what CIFAR-5M ships — are read by offset;
 * deflated entries (`np.savez_compressed`) are stream-inflated, keeping only
 * the requested rows. The zip layer is `zip.ts` (yauzl + node:zlib, CRC-32
 * checked); the `.npy` header and decoding are `npy.ts`.
 *
 * @example
 * ```ts
 * import { zipSync } from "fflate";
 * import { assertEquals } from "../tests/assert.ts";
 * const text = "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 2), }";
 * const x = new Uint8Array([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, text.length, 0,
 *   ...new TextEncoder().encode(text), 10, 11, 20, 21, 30, 31]);
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await Deno.writeFile(path, zipSync({ "X.npy": [x, { level: 0 }] }));
 * const rows = await withNpz(path, (npz) => npz.readRows("X", [2, 0]));
 * assertEquals([rows.shape, Array.from(rows.data)], [[2, 2], [30, 31, 10, 11]]);
 * await Deno.remove(path);
 * ```
 * @module
 */
import { ZipArchive, type ZipEntry, ZipError } from "./zip.ts";
import {
  decodeNpy,
  type NpyArray,
  npyDataStart,
  NpyFormatError,
  type NpyHeader,
  npyRowBytes,
  parseNpyHeader,
} from "./npy.ts";

export type { NpyArray, NpyData, NpyHeader } from "./npy.ts";
export { crc32 } from "./zip.ts";

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

/** One array of an `.npz`: its zip entry and its name without `.npy`. */
export interface NpzEntry extends ZipEntry {
  /** Array name (entry name without `.npy`). */
  key: string;
}

/** Most bytes of adjacent stored rows fetched in one read. */
const MAX_COALESCE = 8 << 20;
/** Bytes read to get an `.npy` header (numpy pads headers to 64 or 128 bytes). */
const HEADER_PREFIX = 512;

/** Runs `fn`, turning zip and `.npy` format errors into NpzErrors naming the file (and entry). */
async function asNpzError<T>(path: string, entry: string | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ZipError) throw new NpzError(path, e.message.slice(path.length + 2));
    if (e instanceof NpyFormatError) {
      throw new NpzError(path, entry ? `${entry}: ${e.message}` : e.message);
    }
    throw e;
  }
}

/** An open `.npz` file; call {@linkcode NpzFile.close} when done. */
export class NpzFile {
  #zip: ZipArchive;
  #entries = new Map<string, NpzEntry>();
  #headers = new Map<string, NpyHeader>();

  private constructor(zip: ZipArchive) {
    this.#zip = zip;
    for (const name of zip.names()) {
      if (name.endsWith(".npy")) {
        this.#entries.set(name.slice(0, -4), { ...zip.entry(name)!, key: name.slice(0, -4) });
      }
    }
  }

  /**
   * Opens a file and reads its central directory.
   *
   * @example
   * ```ts
   * import { assertRejectsMsg } from "../tests/assert.ts";
   * await assertRejectsMsg(() => NpzFile.open("absent.npz"), /absent\.npz: file not found/);
   * ```
   */
  static async open(path: string): Promise<NpzFile> {
    return new NpzFile(await asNpzError(path, null, () => ZipArchive.open(path)));
  }

  /** The file's path. */
  get path(): string {
    return this.#zip.path;
  }

  /** Bytes read from disk so far (directory, headers and data). */
  get bytesRead(): number {
    return this.#zip.bytesRead;
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
        this.path,
        `no array "${key}" (has: ${this.keys().map((k) => `"${k}"`).join(", ") || "none"})`,
      );
    }
    return e;
  }

  /** Closes the file. */
  close(): void {
    this.#zip.close();
  }

  /** Bytes [from, to) of an entry's uncompressed content. */
  async #entryBytes(e: NpzEntry, from: number, to: number): Promise<Uint8Array> {
    if (e.method === 0) return await this.#zip.readRange(e, from, to);
    const out = new Uint8Array(to - from);
    let filled = 0;
    await this.#zip.inflate(e, (chunk, pos) => {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + chunk.length);
      if (b > a) {
        out.set(chunk.subarray(a - pos, b - pos), a - from);
        filled += b - a;
      }
      return pos + chunk.length < to;
    });
    if (filled < to - from) {
      throw new ZipError(this.path, `truncated: ${e.name} ends before byte ${to}`);
    }
    return out;
  }

  /**
   * The `.npy` header of an array: dtype, shape, and where its data starts.
   * Checks the header against the entry's size.
   */
  header(key: string): Promise<NpyHeader> {
    const e = this.entry(key);
    return asNpzError(this.path, e.name, async () => {
      const cached = this.#headers.get(key);
      if (cached) return cached;
      if (e.size < 10) {
        throw new NpyFormatError(`entry too short for a .npy header (${e.size} bytes)`);
      }
      let prefix = await this.#entryBytes(e, 0, Math.min(e.size, HEADER_PREFIX));
      const dataStart = npyDataStart(prefix);
      if (dataStart > prefix.length && dataStart <= e.size) {
        prefix = await this.#entryBytes(e, 0, dataStart);
      }
      const header = parseNpyHeader(prefix, e.size);
      this.#headers.set(key, header);
      return header;
    });
  }

  /**
   * Reads the given rows (indices along the first axis, any order, repeats
   * allowed) of an array; row i of the result is row `rows[i]`. Stored
   * entries: only those rows' bytes are read (adjacent rows in one read).
   * Deflated entries: the entry is inflated in streaming fashion up to the
   * last requested row, keeping only the requested rows.
   */
  async readRows(key: string, rows: ArrayLike<number>): Promise<NpyArray> {
    const h = await this.header(key);
    const e = this.entry(key);
    return await asNpzError(this.path, e.name, async () => {
      if (h.shape.length === 0) throw new NpyFormatError("a 0-d array has no rows");
      const nRows = h.shape[0];
      const rowBytes = npyRowBytes(h);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (!Number.isInteger(r) || r < 0 || r >= nRows) {
          throw new NpyFormatError(`row index ${r} out of range [0, ${nRows})`);
        }
      }
      const unique = Float64Array.from(new Set(Array.from(rows))).sort();
      const buf = new Uint8Array(unique.length * rowBytes);
      if (rowBytes > 0 && unique.length > 0) {
        if (e.method === 0) await this.#readStoredRows(e, h, unique, rowBytes, buf);
        else await this.#readDeflatedRows(e, h, unique, rowBytes, buf);
      }
      let raw = buf;
      if (unique.length !== rows.length || unique.some((r, i) => r !== rows[i])) {
        const where = new Map<number, number>();
        unique.forEach((r, i) => where.set(r, i));
        raw = new Uint8Array(rows.length * rowBytes);
        for (let i = 0; i < rows.length; i++) {
          const u = where.get(rows[i])!;
          raw.set(buf.subarray(u * rowBytes, (u + 1) * rowBytes), i * rowBytes);
        }
      }
      return { data: decodeNpy(h, raw), shape: [rows.length, ...h.shape.slice(1)], descr: h.descr };
    });
  }

  /**
   * Reads a whole array.
   */
  async read(key: string): Promise<NpyArray> {
    const h = await this.header(key);
    const e = this.entry(key);
    return await asNpzError(this.path, e.name, async () => {
      const raw = await this.#entryBytes(e, h.dataStart, e.size);
      return { data: decodeNpy(h, raw), shape: h.shape, descr: h.descr };
    });
  }

  async #readStoredRows(
    e: NpzEntry,
    h: NpyHeader,
    unique: Float64Array,
    rowBytes: number,
    out: Uint8Array,
  ): Promise<void> {
    let i = 0;
    while (i < unique.length) {
      let j = i + 1;
      while (
        j < unique.length && unique[j] === unique[j - 1] + 1 &&
        (j - i + 1) * rowBytes <= MAX_COALESCE
      ) j++;
      const from = h.dataStart + unique[i] * rowBytes;
      out.set(await this.#zip.readRange(e, from, from + (j - i) * rowBytes), i * rowBytes);
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
    await this.#zip.inflate(e, (chunk, pos) => {
      const end = pos + chunk.length;
      while (next < unique.length) {
        const rs = h.dataStart + unique[next] * rowBytes;
        const re = rs + rowBytes;
        if (rs >= end) break;
        const a = Math.max(rs, pos);
        const b = Math.min(re, end);
        if (b > a) out.set(chunk.subarray(a - pos, b - pos), next * rowBytes + (a - rs));
        if (re <= end) next++;
        else break;
      }
      return next < unique.length;
    });
    if (next < unique.length) {
      throw new ZipError(this.path, `truncated: ${e.name} ends before row ${unique[next]}`);
    }
  }
}

/**
 * Opens an `.npz` file, runs `fn`, closes the file (also when `fn` throws).
 *
 * @example
 * ```ts
 * import { assertRejectsMsg } from "../tests/assert.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await Deno.writeTextFile(path, "not a zip");
 * await assertRejectsMsg(() => withNpz(path, (npz) => npz.read("X")), /not a zip file/);
 * await Deno.remove(path);
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
