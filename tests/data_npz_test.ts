import { zipSync } from "fflate";
import { assertEquals, assertOk, assertRejectsMsg } from "./assert.ts";
import { crc32, NpzError, NpzFile, withNpz } from "../data/npz.ts";
import { rngFor } from "../core/rng.ts";
import { npy } from "./fake_cifar5m.ts";

// ---- a tiny writer of the real format: .npy v1 (header padded to 64 bytes) inside a zip

function int64(values: number[]): Uint8Array {
  const b = new BigInt64Array(values.map((v) => BigInt(v)));
  return new Uint8Array(b.buffer);
}

function images(n: number, seed: number): Uint8Array {
  const rng = rngFor(seed, "npz-test", "data");
  return Uint8Array.from({ length: n * 3072 }, () => rng.int(256));
}

async function writeNpz(
  dir: string,
  name: string,
  arrays: Record<string, Uint8Array>,
  level: 0 | 6,
): Promise<string> {
  const path = `${dir}/${name}`;
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(arrays).map(([k, v]) => [`${k}.npy`, [v, { level }]]),
    ),
  );
  await Deno.writeFile(path, zip);
  return path;
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

// written by numpy 2.4.6: X = (arange(48)*7 % 256).astype(uint8).reshape(4,2,2,3),
// Y = int64 [3, -1, 2**31-1, 0]; np.savez (stored, zip64 local headers) and np.savez_compressed
const NUMPY_SAVEZ =
  "UEsDBC0AAAAAAAAAIQBzP3Uz//////////8FABQAWC5ucHkBABAAsAAAAAAAAACwAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3x1MScsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICg0LCAyLCAyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tng5+71/AMKERgfJi00O0JJUEsDBC0AAAAAAAAAIQDLTPWP//////////8FABQAWS5ucHkBABAAoAAAAAAAAACgAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICg0LCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAwAAAAAAAAD//////////////38AAAAAAAAAAAAAAABQSwECLQMtAAAAAAAAACEAcz91M7AAAACwAAAABQAAAAAAAAAAAAAAgAEAAAAAWC5ucHlQSwECLQMtAAAAAAAAACEAy0z1j6AAAACgAAAABQAAAAAAAAAAAAAAgAHnAAAAWS5ucHlQSwUGAAAAAAIAAgBmAAAAvgEAAAAA";
const NUMPY_SAVEZ_COMPRESSED =
  "UEsDBC0AAAAIAAAAIQBzP3Uz//////////8FABQAWC5ucHkBABAAsAAAAAAAAAB7AAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GiY6CkZgZKypo1CrQAbgYmDnE5VR1jK0sHfzDYlOyiwor2vtmTxr4Yr12/YeOX3p5oPn777+YeYSlJBX0zWxdvIEAFBLAwQtAAAACAAAACEAy0z1j///////////BQAUAFkubnB5AQAQAKAAAAAAAAAATgAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RomOpo6CrUKFAAuZgYI+I8A9QxIAABQSwECLQMtAAAACAAAACEAcz91M3sAAACwAAAABQAAAAAAAAAAAAAAgAEAAAAAWC5ucHlQSwECLQMtAAAACAAAACEAy0z1j04AAACgAAAABQAAAAAAAAAAAAAAgAGyAAAAWS5ucHlQSwUGAAAAAAIAAgBmAAAANwEAAAAA";

Deno.test("NpzFile reads files written by numpy's savez and savez_compressed (zip64 local headers)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [name, data] of [["stored.npz", NUMPY_SAVEZ], [
        "deflated.npz",
        NUMPY_SAVEZ_COMPRESSED,
      ]]
    ) {
      const path = `${dir}/${name}`;
      await Deno.writeFile(path, b64(data));
      await withNpz(path, async (npz) => {
        assertEquals(npz.keys(), ["X", "Y"]);
        assertEquals(npz.entry("X").method, name === "stored.npz" ? 0 : 8);
        const x = await npz.read("X");
        assertEquals(x.shape, [4, 2, 2, 3]);
        assertEquals(x.descr, "|u1");
        assertEquals(
          Array.from(x.data),
          Array.from({ length: 48 }, (_, i) => (i * 7) % 256),
        );
        const y = await npz.read("Y");
        assertEquals([y.descr, y.shape], ["<i8", [4]]);
        assertOk(y.data instanceof Int32Array);
        assertEquals(Array.from(y.data), [3, -1, 2 ** 31 - 1, 0]);
        const rows = await npz.readRows("X", [3, 1]);
        assertEquals(Array.from(rows.data), [
          ...x.data.subarray(36, 48),
          ...x.data.subarray(12, 24),
        ]);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readRows() returns the requested images in order, for stored and deflated entries", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const n = 40;
    const pixels = images(n, 1);
    const labels = Array.from({ length: n }, (_, i) => (i * 3) % 10);
    const rows = [17, 3, 39, 3, 0, 18];
    for (const level of [0, 6] as const) {
      const path = await writeNpz(dir, `l${level}.npz`, {
        X: npy("|u1", [n, 32, 32, 3], pixels),
        Y: npy("<i8", [n], int64(labels)),
      }, level);
      await withNpz(path, async (npz) => {
        assertEquals(npz.entry("X").method, level === 0 ? 0 : 8);
        assertEquals((await npz.header("X")).shape, [n, 32, 32, 3]);
        const x = await npz.readRows("X", rows);
        assertEquals(x.shape, [rows.length, 32, 32, 3]);
        rows.forEach((r, i) => {
          assertEquals(
            x.data.subarray(i * 3072, (i + 1) * 3072),
            pixels.subarray(r * 3072, (r + 1) * 3072),
            `row ${r}`,
          );
        });
        assertEquals(
          Array.from((await npz.readRows("Y", rows)).data),
          rows.map((r) => labels[r]),
        );
        assertEquals(Array.from((await npz.read("Y")).data), labels);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stored entry is read by offset: 10 rows of a 6 MB array read ~30 kB of data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const n = 2000;
    const pixels = images(n, 2);
    const arrays = {
      X: npy("|u1", [n, 32, 32, 3], pixels),
      Y: npy("<i8", [n], int64(new Array(n).fill(1))),
    };
    const stored = await writeNpz(dir, "stored.npz", arrays, 0);
    const deflated = await writeNpz(dir, "deflated.npz", arrays, 6);
    const rows = [1500, 7, 999, 1000, 1001, 1999, 40, 41, 600, 3];
    await withNpz(stored, async (npz) => {
      const before = npz.bytesRead; // central directory
      const x = await npz.readRows("X", rows);
      const dataRead = npz.bytesRead - before;
      assertOk(
        dataRead >= 10 * 3072 && dataRead < 10 * 3072 + 4096,
        `read ${dataRead} bytes for 10 rows`,
      );
      assertOk(npz.entry("X").size > 6e6);
      assertEquals(
        x.data.subarray(3 * 3072, 4 * 3072),
        pixels.subarray(1000 * 3072, 1001 * 3072),
      );
    });
    // deflated: the first read inflates the whole entry once to check its
    // CRC-32; later reads stream only as far as the last requested row
    await withNpz(deflated, async (npz) => {
      const x = await npz.readRows("X", [0, 5, 9]);
      assertEquals(x.data.subarray(3072, 2 * 3072), pixels.subarray(5 * 3072, 6 * 3072));
      const first = npz.bytesRead;
      assertOk(first >= npz.entry("X").compressedSize, `first read: ${first} bytes`);
      await npz.readRows("X", [0, 5, 9]);
      assertOk(
        npz.bytesRead - first < npz.entry("X").compressedSize / 2,
        `second read: ${npz.bytesRead - first} bytes`,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a deflated entry with a flipped byte is refused by its CRC-32, naming the file and entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const n = 50;
    const good = await writeNpz(dir, "good.npz", {
      X: npy("|u1", [n, 32, 32, 3], images(n, 4)),
      Y: npy("<i8", [n], int64(new Array(n).fill(2))),
    }, 6);
    await withNpz(good, async (npz) => assertEquals((await npz.read("Y")).data.length, n));
    const bytes = await Deno.readFile(good);
    // find a byte inside X's compressed data whose flip still inflates
    const npzX = await NpzFile.open(good);
    const e = npzX.entry("X");
    npzX.close();
    const dataStart = e.localHeaderOffset + 30 + "X.npy".length;
    let refused = 0, tried = 0;
    for (let k = 0; k < 12; k++) {
      const damaged = bytes.slice();
      const at = dataStart + Math.floor(((k + 0.5) / 12) * e.compressedSize);
      damaged[at] ^= 0x10;
      const path = `${dir}/damaged${k}.npz`;
      await Deno.writeFile(path, damaged);
      tried++;
      await assertRejectsMsg(
        () => withNpz(path, async (npz) => void (await npz.readRows("X", [0]))),
        new RegExp(`damaged${k}\\.npz.*X\\.npy`),
      );
      refused++;
    }
    assertEquals(refused, tried);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an .npy entry whose size disagrees with its header (trailing or missing bytes) is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const y = npy("<i8", [3], int64([1, 2, 3]));
    const cases: [string, Uint8Array, RegExp][] = [
      ["trailing", Uint8Array.from([...y, 0, 0, 0, 0, 0, 0, 0, 0]), /holds 32/],
      ["short", y.subarray(0, y.length - 8), /holds 16/],
    ];
    for (const [name, bytes, msg] of cases) {
      for (const level of [0, 6] as const) {
        const f = await writeNpz(dir, `${name}${level}.npz`, { Y: bytes }, level);
        await assertRejectsMsg(
          () => withNpz(f, async (npz) => void (await npz.read("Y"))),
          new RegExp(
            `${name}${level}\\.npz.*Y\\.npy: header says shape \\(3\\) of '<i8' = 24 data bytes, but the entry ${msg.source}`,
          ),
        );
      }
    }
    // the exact size reads
    const ok = await writeNpz(dir, "ok.npz", { Y: y }, 0);
    await withNpz(
      ok,
      async (npz) =>
        assertEquals(
          Array.from((await npz.read("Y")).data as unknown as ArrayLike<number | bigint>, Number),
          [1, 2, 3],
        ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crc32() gives the standard check value of '123456789'", () => {
  assertEquals(crc32(0, new TextEncoder().encode("123456789")), 0xcbf43926);
  // incremental updates give the same result
  const b = new TextEncoder().encode("123456789");
  assertEquals(crc32(crc32(0, b.subarray(0, 4)), b.subarray(4)), 0xcbf43926);
});

Deno.test("bad files are clear NpzErrors naming the file: truncated, missing key, wrong dtype, bad header", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await writeNpz(dir, "good.npz", {
      X: npy("|u1", [4, 32, 32, 3], images(4, 3)),
      Y: npy("<i8", [4], int64([0, 1, 2, 3])),
    }, 0);
    const bytes = await Deno.readFile(good);
    const truncated = `${dir}/truncated.npz`;
    await Deno.writeFile(
      truncated,
      bytes.subarray(0, Math.floor(bytes.length / 2)),
    );
    const err = await assertRejectsMsg(
      () => NpzFile.open(truncated),
      /truncated\.npz: .*truncated/,
    );
    assertOk(err instanceof NpzError && err.file === truncated);

    await assertRejectsMsg(
      () => withNpz(good, (npz) => npz.read("Z")),
      /good\.npz: no array "Z" \(has: "X", "Y"\)/,
    );
    await assertRejectsMsg(
      () => NpzFile.open(`${dir}/absent.npz`),
      /absent\.npz: file not found/,
    );

    const odd = await writeNpz(dir, "odd.npz", {
      B: npy(">i4", [2], new Uint8Array(8)),
      C: npy("<c8", [2], new Uint8Array(16)),
      S: npy("|u1", [5, 3], new Uint8Array(12)), // 15 bytes promised, 12 present
      H: npy("<i8", [1], int64([2 ** 40])),
    }, 6);
    await assertRejectsMsg(
      () => withNpz(odd, (npz) => npz.read("B")),
      /odd\.npz: B\.npy: unsupported dtype '>i4'/,
    );
    await assertRejectsMsg(
      () => withNpz(odd, (npz) => npz.read("C")),
      /odd\.npz: C\.npy: unsupported dtype '<c8'/,
    );
    await assertRejectsMsg(
      () => withNpz(odd, (npz) => npz.read("S")),
      /odd\.npz: S\.npy: header says shape \(5, 3\)/,
    );
    await assertRejectsMsg(
      () => withNpz(odd, (npz) => npz.read("H")),
      /odd\.npz: H\.npy: 64-bit value .* int32/,
    );
    await assertRejectsMsg(
      () => withNpz(good, (npz) => npz.readRows("X", [4])),
      /good\.npz: X\.npy: row index 4 out of range/,
    );

    const notZip = `${dir}/plain.npz`;
    await Deno.writeTextFile(notZip, "hello");
    await assertRejectsMsg(
      () => NpzFile.open(notZip),
      /plain\.npz: not a zip file/,
    );

    // corrupt deflate stream: garbage where the compressed data should be
    const deflated = await writeNpz(dir, "deflated.npz", {
      X: npy("|u1", [4, 32, 32, 3], images(4, 3)),
    }, 6);
    const d = await Deno.readFile(deflated);
    d.fill(0xff, 40, 200);
    await Deno.writeFile(deflated, d);
    await assertRejectsMsg(
      () => withNpz(deflated, (npz) => npz.read("X")),
      /deflated\.npz: .*(corrupt|magic|truncated)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
