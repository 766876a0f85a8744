/**
 * Reads entries of a zip file by byte range, on top of
 * [yauzl](https://github.com/thejoshwolfe/yauzl) (central directory, zip64,
 * local headers, size validation) and `node:zlib` (inflate, CRC-32).
 *
 * What this module adds to yauzl:
 * - **Deno file access with a byte count:** yauzl reads through a
 *   {@linkcode ZipArchive}'s own `RandomAccessReader` over a `Deno.FsFile`,
 *   which counts every byte it reads ({@linkcode ZipArchive.bytesRead}), so
 *   callers and tests can see that 10 rows of a stored entry cost ~30 kB.
 * - **Cached data offsets:** each entry's local header is read once; later
 *   ranges of a stored entry are one positioned read each.
 * - **CRC-32:** yauzl does not check CRCs. The first full pass over a deflated
 *   entry checks it against the central directory (a flipped byte can still
 *   inflate); stored entries are read by range and are not checked, as in
 *   numpy.
 * - **Errors:** every failure is a {@linkcode ZipError} naming the file.
 *
 * @example
 * ```ts
 * import { zipSync } from "fflate";
 * import { assertEquals } from "../tests/assert.ts";
 * const path = await Deno.makeTempFile({ suffix: ".zip" });
 * await Deno.writeFile(path, zipSync({ "a.txt": [new TextEncoder().encode("hello"), { level: 0 }] }));
 * const zip = await ZipArchive.open(path);
 * try {
 *   assertEquals(zip.names(), ["a.txt"]);
 *   const bytes = await zip.readRange(zip.entry("a.txt")!, 1, 4);
 *   assertEquals(new TextDecoder().decode(bytes), "ell");
 * } finally {
 *   zip.close();
 *   await Deno.remove(path);
 * }
 * ```
 * @module
 */
// @ts-types="@types/yauzl"
import yauzl from "yauzl";
import { Readable } from "node:stream";
import { crc32 as zlibCrc32 } from "node:zlib";

/** A problem with a zip file; the message starts with the file's path. */
export class ZipError extends Error {
  /** The file. */
  readonly file: string;
  /** Creates an error for `file`. */
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "ZipError";
    this.file = file;
  }
}

/** One entry of the central directory. */
export interface ZipEntry {
  /** Entry name in the zip. */
  name: string;
  /** 0 = stored, 8 = deflated (others are refused when read). */
  method: number;
  /** Compressed size in bytes. */
  compressedSize: number;
  /** Uncompressed size in bytes. */
  size: number;
  /** Offset of the local file header. */
  localHeaderOffset: number;
  /** CRC-32 of the uncompressed content, from the central directory. */
  crc32: number;
  /** Whether the entry is encrypted. */
  encrypted: boolean;
}

/**
 * Updates a running CRC-32 (IEEE, as zip uses) with `bytes`; start from 0.
 * Uses `node:zlib`'s native crc32.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(crc32(0, new TextEncoder().encode("123456789")), 0xcbf43926);
 * ```
 */
export function crc32(crc: number, bytes: Uint8Array): number {
  return zlibCrc32(bytes, crc) >>> 0;
}

/** Most bytes one positioned read of a stream asks for; streams start at 1/16 of it, doubling. */
const READ_CHUNK = 1 << 20;

/**
 * yauzl's RandomAccessReader over a Deno file: positioned reads, serialised
 * (seek + read must not interleave between streams), each byte counted.
 */
class DenoFileReader extends yauzl.RandomAccessReader {
  bytesRead = 0;
  readonly size: number;
  #file: Deno.FsFile;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: Deno.FsFile, size: number) {
    super();
    this.#file = file;
    this.size = size;
  }

  /** Reads up to `length` bytes at `position` (fewer only at the end of the file). */
  readAt(position: number, length: number): Promise<Uint8Array> {
    const run = async () => {
      const out = new Uint8Array(length);
      await this.#file.seek(position, Deno.SeekMode.Start);
      let got = 0;
      while (got < length) {
        const n = await this.#file.read(out.subarray(got));
        if (n === null) break;
        got += n;
      }
      this.bytesRead += got;
      return out.subarray(0, got);
    };
    const next = this.#queue.then(run);
    this.#queue = next.catch(() => {});
    return next;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let position = start;
    let chunk = READ_CHUNK >> 4; // a header or the first rows cost little
    const readAt = (at: number, length: number) => this.readAt(at, length);
    return new Readable({
      async read() {
        if (position >= end) {
          this.push(null);
          return;
        }
        try {
          const bytes = await readAt(position, Math.min(chunk, end - position));
          chunk = Math.min(2 * chunk, READ_CHUNK);
          if (bytes.length === 0) {
            this.destroy(new Error(`unexpected end of file at byte ${position}`));
            return;
          }
          position += bytes.length;
          this.push(bytes);
        } catch (e) {
          this.destroy(e as Error);
        }
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    callback(null);
  }
}

/** An open zip file; call {@linkcode ZipArchive.close} when done. */
export class ZipArchive {
  #path: string;
  #file: Deno.FsFile;
  #reader: DenoFileReader;
  #zip: yauzl.ZipFile;
  #entries = new Map<string, { entry: ZipEntry; raw: yauzl.Entry }>();
  #dataStart = new Map<string, number>();
  #crcChecked = new Set<string>();

  private constructor(path: string, file: Deno.FsFile, r: DenoFileReader, zip: yauzl.ZipFile) {
    this.#path = path;
    this.#file = file;
    this.#reader = r;
    this.#zip = zip;
  }

  /**
   * Opens a zip file and reads its central directory (with yauzl).
   *
   * @example
   * ```ts
   * import { assertRejectsMsg } from "../tests/assert.ts";
   * await assertRejectsMsg(() => ZipArchive.open("absent.zip"), /absent\.zip: file not found/);
   * ```
   */
  static async open(path: string): Promise<ZipArchive> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new ZipError(path, "file not found");
      throw e;
    }
    try {
      const size = (await file.stat()).size;
      const r = new DenoFileReader(file, size);
      let zip: yauzl.ZipFile;
      try {
        zip = await yauzl.fromRandomAccessReaderPromise(r, size, { autoClose: false });
      } catch (e) {
        throw new ZipError(
          path,
          `not a zip file, or truncated (${(e as Error).message})`,
        );
      }
      const archive = new ZipArchive(path, file, r, zip);
      try {
        for await (const raw of zip.eachEntry()) {
          archive.#entries.set(raw.fileName, {
            raw,
            entry: {
              name: raw.fileName,
              method: raw.compressionMethod,
              compressedSize: raw.compressedSize,
              size: raw.uncompressedSize,
              localHeaderOffset: raw.relativeOffsetOfLocalHeader,
              crc32: raw.crc32,
              encrypted: raw.isEncrypted(),
            },
          });
        }
      } catch (e) {
        throw new ZipError(path, `corrupt central directory (${(e as Error).message})`);
      }
      return archive;
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /** Bytes read from disk so far (directory, local headers and data). */
  get bytesRead(): number {
    return this.#reader.bytesRead;
  }

  /** Entry names, in directory order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** The directory entry called `name`, or undefined. */
  entry(name: string): ZipEntry | undefined {
    return this.#entries.get(name)?.entry;
  }

  /** Closes the file. */
  close(): void {
    this.#zip.close();
    this.#file.close();
  }

  #fail(message: string): never {
    throw new ZipError(this.#path, message);
  }

  #raw(e: ZipEntry): yauzl.Entry {
    const raw = this.#entries.get(e.name)?.raw;
    if (!raw) this.#fail(`no entry ${e.name}`);
    if (e.encrypted) this.#fail(`${e.name} is encrypted`);
    if (e.method !== 0 && e.method !== 8) {
      this.#fail(
        `${e.name} uses zip compression method ${e.method}; only stored (0) and deflated (8) are supported`,
      );
    }
    return raw;
  }

  /** Where the entry's data starts (its local header is read once, by yauzl). */
  async #dataStartOf(e: ZipEntry): Promise<number> {
    let start = this.#dataStart.get(e.name);
    if (start === undefined) {
      try {
        start = (await this.#zip.readLocalFileHeaderPromise(this.#raw(e), { minimal: true }))
          .fileDataStart;
      } catch (err) {
        if (err instanceof ZipError) throw err;
        this.#fail(`corrupt local header for ${e.name} (${(err as Error).message})`);
      }
      if (start + e.compressedSize > this.#reader.size) {
        this.#fail(
          `truncated: ${e.name} needs bytes ${start}..${
            start + e.compressedSize
          } but the file has ${this.#reader.size}`,
        );
      }
      this.#dataStart.set(e.name, start);
    }
    return start;
  }

  /**
   * Bytes [from, to) of a stored entry, in one positioned read.
   */
  async readRange(e: ZipEntry, from: number, to: number): Promise<Uint8Array> {
    this.#raw(e);
    if (e.method !== 0) this.#fail(`${e.name} is compressed; read it with inflate()`);
    if (from < 0 || to > e.size || from > to) {
      this.#fail(`${e.name}: byte range ${from}..${to} outside the entry's ${e.size} bytes`);
    }
    const start = await this.#dataStartOf(e);
    const bytes = await this.#reader.readAt(start + from, to - from);
    if (bytes.length < to - from) {
      this.#fail(`truncated: unexpected end of file at byte ${start + from + bytes.length}`);
    }
    return bytes;
  }

  /**
   * Streams the uncompressed bytes of an entry to `sink(chunk, position)`
   * until the sink returns false or the entry ends. The first pass over a
   * deflated entry runs to the end whatever the sink says, to check the
   * CRC-32 and the size against the central directory.
   */
  async inflate(
    e: ZipEntry,
    sink: (chunk: Uint8Array, position: number) => boolean,
  ): Promise<void> {
    const raw = this.#raw(e);
    await this.#dataStartOf(e);
    const checkCrc = e.method === 8 && !this.#crcChecked.has(e.name);
    let crc = 0;
    let position = 0;
    let more = true;
    try {
      const stream = await this.#zip.openReadStreamPromise(raw);
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        if (checkCrc) crc = crc32(crc, chunk);
        if (more && chunk.length > 0) more = sink(chunk, position);
        position += chunk.length;
        if (!more && !checkCrc) break;
      }
    } catch (err) {
      if (err instanceof ZipError) throw err;
      this.#fail(`corrupt ${e.name} (${(err as Error).message})`);
    }
    if (checkCrc) {
      if (position !== e.size) {
        this.#fail(
          `corrupt ${e.name}: inflates to ${position} bytes, the zip directory says ${e.size}`,
        );
      }
      if (crc !== e.crc32) {
        this.#fail(
          `corrupt ${e.name}: CRC-32 ${hex(crc)} does not match the zip directory's ${
            hex(e.crc32)
          } (damaged file; re-download it)`,
        );
      }
      this.#crcChecked.add(e.name);
    }
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
