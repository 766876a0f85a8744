/**
 * Test helper: fake CIFAR-5M parts (`partK.npz`) in the real format, stored or
 * deflated. Image g carries g in its first two bytes; its label is (7g) mod 10.
 * Shared by the CIFAR-5M loader, npz and suite tests.
 * @module
 */
import { zipSync } from "fflate";
import { rngFor } from "../core/rng.ts";

/** An `.npy` file (format 1.0) with the given dtype descr, shape and raw bytes. */
export function npy(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  let text = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${
    shape.length === 1 ? "," : ""
  }), }`;
  text += " ".repeat(63 - ((10 + text.length) % 64)) + "\n";
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(10 + head.length + data.length);
  out.set([
    0x93,
    0x4e,
    0x55,
    0x4d,
    0x50,
    0x59,
    1,
    0,
    head.length & 255,
    head.length >> 8,
  ]);
  out.set(head, 10);
  out.set(data, 10 + head.length);
  return out;
}

/** The label of fake image g. */
export const labelOf = (g: number) => (g * 7) % 10;

/** The pixels of fake image g (uint8, 32·32·3). */
export function imageOf(g: number): Uint8Array {
  const rng = rngFor(g, "fake-cifar", "data");
  const img = Uint8Array.from({ length: 3072 }, () => rng.int(256));
  img[0] = g >> 8;
  img[1] = g & 255;
  return img;
}

/** Writes `part<k>.npz` with images first … first+n−1; level 0 = stored, 6 = deflated. */
export async function writePart(
  dir: string,
  k: number,
  first: number,
  n: number,
  level: 0 | 6,
  xDescr = "|u1",
) {
  const x = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) x.set(imageOf(first + i), i * 3072);
  const y = new BigInt64Array(n).map((_, i) => BigInt(labelOf(first + i)));
  const zip = zipSync({
    "X.npy": [npy(xDescr, [n, 32, 32, 3], x), { level }],
    "Y.npy": [npy("<i8", [n], new Uint8Array(y.buffer)), { level }],
  });
  await Deno.writeFile(`${dir}/part${k}.npz`, zip);
}
