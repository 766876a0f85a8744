import { zipSync } from "fflate";
import { assertEquals, assertOk, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";
import { crc32, ZipArchive } from "../data/zip.ts";
import {
  decodeNpy,
  npyDataStart,
  NpyFormatError,
  npyRowBytes,
  parseNpyHeader,
} from "../data/npy.ts";
import { npy } from "./fake_cifar5m.ts";

const bytes = (n: number, mul: number) => Uint8Array.from({ length: n }, (_, i) => (i * mul) % 251);

async function withZip(
  files: Record<string, [Uint8Array, 0 | 6]>,
  fn: (zip: ZipArchive, path: string) => Promise<void>,
): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".zip" });
  try {
    await Deno.writeFile(
      path,
      zipSync(
        Object.fromEntries(Object.entries(files).map(([k, [v, level]]) => [k, [v, { level }]])),
      ),
    );
    const zip = await ZipArchive.open(path);
    try {
      await fn(zip, path);
    } finally {
      zip.close();
    }
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("ZipArchive lists entries with yauzl and reads byte ranges of stored entries, counting bytes", async () => {
  const a = bytes(100_000, 7);
  await withZip({ "a.bin": [a, 0], "b.bin": [bytes(10, 3), 6] }, async (zip) => {
    assertEquals(zip.names(), ["a.bin", "b.bin"]);
    const e = zip.entry("a.bin")!;
    assertEquals([e.method, e.size, e.compressedSize, e.crc32], [0, 100_000, 100_000, crc32(0, a)]);
    assertEquals(zip.entry("b.bin")!.method, 8);
    assertEquals(zip.entry("c.bin"), undefined);
    const before = zip.bytesRead;
    assertEquals(await zip.readRange(e, 5000, 5100), a.subarray(5000, 5100));
    // the local header (30 + name bytes) is read once, then only the range
    assertEquals(zip.bytesRead - before, 30 + 100);
    assertEquals(await zip.readRange(e, 0, 3), a.subarray(0, 3));
    assertEquals(zip.bytesRead - before, 30 + 100 + 3);
  });
});

Deno.test("concurrent range reads do not interleave their seeks", async () => {
  const a = bytes(300_000, 13);
  await withZip({ "a.bin": [a, 0] }, async (zip) => {
    const e = zip.entry("a.bin")!;
    const spans = [[0, 1000], [250_000, 299_000], [77, 78], [123_456, 200_000]];
    const got = await Promise.all(spans.map(([f, t]) => zip.readRange(e, f, t)));
    spans.forEach(([f, t], i) => assertEquals(got[i], a.subarray(f, t)));
  });
});

Deno.test("inflate() streams a deflated entry, checks its CRC-32 on the first pass, and can stop early after", async () => {
  const a = bytes(500_000, 11);
  await withZip({ "a.bin": [a, 6] }, async (zip, path) => {
    const e = zip.entry("a.bin")!;
    let seen = 0;
    await zip.inflate(e, (chunk) => {
      seen += chunk.length;
      return false; // the first pass runs on anyway, for the CRC
    });
    assertEquals(seen > 0 && seen < a.length, true);
    // a second pass stops when the sink says so
    const parts: Uint8Array[] = [];
    await zip.inflate(e, (chunk) => (parts.push(chunk.slice()), parts.length < 2));
    assertEquals(parts.length, 2);
    const joined = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) (joined.set(p, at), at += p.length);
    assertEquals(joined, a.subarray(0, joined.length));
    await assertRejectsMsg(
      () => zip.readRange(e, 0, 10),
      new RegExp(`${path.split("/").pop()}: a\\.bin is compressed`),
    );
  });
});

Deno.test("a deflated entry whose CRC-32 in the directory is wrong is refused with both CRCs", async () => {
  const a = bytes(20_000, 5);
  const zipped = zipSync({ "a.bin": [a, { level: 6 }] });
  // the central directory's CRC field of the only entry: 16 bytes into its header (signature PK\1\2)
  let cd = -1;
  for (let i = zipped.length - 22; i >= 0; i--) {
    if (
      zipped[i] === 0x50 && zipped[i + 1] === 0x4b && zipped[i + 2] === 1 && zipped[i + 3] === 2
    ) {
      cd = i;
      break;
    }
  }
  assertOk(cd > 0);
  zipped[cd + 16] ^= 0xff;
  const path = await Deno.makeTempFile({ suffix: ".zip" });
  try {
    await Deno.writeFile(path, zipped);
    const zip = await ZipArchive.open(path);
    try {
      await assertRejectsMsg(
        () => zip.inflate(zip.entry("a.bin")!, () => true),
        /a\.bin: CRC-32 [0-9a-f]{8} does not match the zip directory's [0-9a-f]{8} \(damaged file/,
      );
    } finally {
      zip.close();
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("crc32() is zlib's: the check value and incremental updates", () => {
  const b = new TextEncoder().encode("123456789");
  assertEquals(crc32(0, b), 0xcbf43926);
  assertEquals(crc32(crc32(0, b.subarray(0, 4)), b.subarray(4)), 0xcbf43926);
  assertEquals(crc32(0, new Uint8Array(0)), 0);
});

Deno.test("parseNpyHeader() reads v1 and v2 headers and checks the data fill the entry exactly", () => {
  const v1 = npy("<f4", [3, 2], new Uint8Array(24));
  const h = parseNpyHeader(v1, v1.length);
  // numpy pads the header so the data start at a multiple of 64
  assertEquals(h, { descr: "<f4", shape: [3, 2], itemSize: 4, dataStart: v1.length - 24 });
  assertEquals(npyDataStart(v1) % 64, 0);
  assertEquals(npyRowBytes(h), 8);
  // version 2: 4-byte header length
  const v2 = v1.slice();
  const text = v1.subarray(10, h.dataStart);
  const two = new Uint8Array(12 + text.length + 24);
  two.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, text.length, 0, 0, 0]);
  two.set(text, 12);
  assertEquals(parseNpyHeader(two, two.length).dataStart, 12 + text.length);
  assertThrowsMsg(
    () => parseNpyHeader(v2, v2.length + 1),
    /= 24 data bytes, but the entry holds 25/,
  );
  assertThrowsMsg(() => parseNpyHeader(v2, v2.length - 4), /but the entry holds 20/);
  const v9 = v1.slice();
  v9[6] = 9;
  assertThrowsMsg(() => parseNpyHeader(v9, v9.length), /unsupported \.npy format version 9\.0/);
  const fortran = npy("<f4", [2], new Uint8Array(8));
  const f = new TextDecoder().decode(fortran).replace("False", "True ");
  const fb = new TextEncoder().encode(f);
  fb.set(fortran.subarray(0, 10)); // keep the binary magic
  fb.set(fortran.subarray(npyDataStart(fortran)), npyDataStart(fortran));
  assertThrowsMsg(() => parseNpyHeader(fb, fb.length), /Fortran-order/);
  assertThrowsMsg(
    () => parseNpyHeader(v1.subarray(0, 40), v1.length),
    /longer than the 40 bytes given/,
  );
  assertOk(new NpyFormatError("x") instanceof Error);
});

Deno.test("decodeNpy() decodes each dtype, copies unaligned bytes, and refuses int64 beyond int32", () => {
  const h = (descr: string, itemSize: number) => ({ descr, shape: [2], itemSize, dataStart: 0 });
  assertEquals(
    decodeNpy(h("<f8", 8), new Uint8Array(Float64Array.of(1.5, -2).buffer)),
    Float64Array.of(1.5, -2),
  );
  assertEquals(decodeNpy(h("<u2", 2), Uint8Array.of(1, 1, 255, 255)), Uint16Array.of(257, 65535));
  assertEquals(decodeNpy(h("|i1", 1), Uint8Array.of(255, 1)), Int8Array.of(-1, 1));
  // an odd offset into a buffer: the view needs a copy
  const odd = new Uint8Array(9).subarray(1);
  odd.set(new Uint8Array(Int32Array.of(-7, 8).buffer));
  assertEquals(decodeNpy(h("<i4", 4), odd), Int32Array.of(-7, 8));
  assertEquals(
    decodeNpy(h("<i8", 8), new Uint8Array(BigInt64Array.of(-(2n ** 31n), 2n ** 31n - 1n).buffer)),
    Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
  );
  assertThrowsMsg(
    () => decodeNpy(h("<i8", 8), new Uint8Array(BigInt64Array.of(0n, 2n ** 31n).buffer)),
    /element 1 does not fit in int32/,
  );
  assertThrowsMsg(
    () => decodeNpy(h("<u8", 8), new Uint8Array(BigInt64Array.of(-1n, 0n).buffer)),
    /element 0 does not fit/,
  );
});
