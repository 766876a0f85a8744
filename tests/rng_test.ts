/** Seeded streams: deterministic, independent per (seed, run id, purpose). */
import { assertEquals, assertNotEquals, assertOk } from "./assert.ts";
import { deriveSeed, rngFor } from "../core/rng.ts";

Deno.test("rngFor() gives the same numbers for the same (seed, run id, purpose)", () => {
  const a = rngFor(1, "exp/seed=1", "init").normals(100);
  const b = rngFor(1, "exp/seed=1", "init").normals(100);
  assertEquals(Array.from(a), Array.from(b));
});

Deno.test("rngFor() streams differ across seed, run id and purpose — seed 0 included", () => {
  const base = Array.from(rngFor(0, "r", "init").normals(8));
  assertNotEquals(Array.from(rngFor(1, "r", "init").normals(8)), base);
  assertNotEquals(Array.from(rngFor(0, "r2", "init").normals(8)), base);
  assertNotEquals(Array.from(rngFor(0, "r", "data").normals(8)), base);
  assertOk(deriveSeed(0, "r", "init") !== deriveSeed(0, "r", "batch"));
});

Deno.test("Rng draws have the right first two moments and permutations are permutations", () => {
  const rng = rngFor(7, "moments", "probe");
  const n = 20000;
  const x = rng.normals(n);
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const varc = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  assertOk(Math.abs(mean) < 0.03, `mean ${mean}`);
  assertOk(Math.abs(varc - 1) < 0.04, `variance ${varc}`);
  const u = Array.from({ length: n }, () => rng.float());
  assertOk(u.every((v) => v >= 0 && v < 1));
  const r = rng.rademacher(1000);
  assertOk(r.every((v) => v === 1 || v === -1));
  const p = Array.from(rng.permutation(50)).sort((a, b) => a - b);
  assertEquals(p, Array.from({ length: 50 }, (_, i) => i));
});

Deno.test("no Math.random and no TF.js random ops anywhere in the sources", () => {
  const offenders: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (p.endsWith(".ts")) {
        const text = Deno.readTextFileSync(p);
        if (
          /Math\.random\(|tf\.random[A-Z]\w*\(|tf\.truncatedNormal\(|tf\.util\.shuffle\(/.test(text)
        ) offenders.push(p);
      }
    }
  };
  for (const d of ["core", "data", "experiments"]) walk(d);
  for (const f of ["cli.ts", "mod.ts"]) {
    try {
      if (/Math\.random\(/.test(Deno.readTextFileSync(f))) offenders.push(f);
    } catch { /* absent */ }
  }
  assertEquals(offenders, []);
});
