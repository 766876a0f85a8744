import { assertEquals, assertNotEquals, assertOk, assertThrowsMsg } from "./assert.ts";
import {
  isPrime,
  modInverse,
  modularLabel,
  modularPairs,
  modularSplit,
  modularTask,
} from "../data/modular.ts";
import type { ModularTask } from "../core/config/task_schema.ts";

const task = (over: Partial<ModularTask> = {}): ModularTask => ({
  kind: "modular",
  p: 7,
  op: "add",
  trainFraction: 0.3,
  encoding: "onehot",
  seed: 0,
  ...over,
});

/** Brute force: the c in [0, p) with c ≡ a∘b (for div: c·b ≡ a). */
function bruteForce(a: number, b: number, op: string, p: number): number {
  for (let c = 0; c < p; c++) {
    if (op === "add" && (a + b - c) % p === 0) return c;
    if (op === "sub" && (a - b - c + p * p) % p === 0) return c;
    if (op === "mul" && (a * b - c) % p === 0) return c;
    if (op === "div" && (c * b - a + p * p) % p === 0) return c;
  }
  throw new Error("no solution");
}

Deno.test("modularPairs() labels every pair correctly for all four ops at p = 7", () => {
  for (const op of ["add", "sub", "mul", "div"] as const) {
    const { a, b, label } = modularPairs(7, op);
    assertEquals(a.length, op === "div" ? 42 : 49, op);
    const seen = new Set<string>();
    for (let i = 0; i < a.length; i++) {
      assertEquals(
        label[i],
        bruteForce(a[i], b[i], op, 7),
        `${a[i]} ${op} ${b[i]}`,
      );
      assertEquals(modularLabel(a[i], b[i], op, 7), label[i]);
      seen.add(`${a[i]},${b[i]}`);
    }
    assertEquals(seen.size, a.length, "pairs are distinct");
    if (op === "div") assertOk(!b.includes(0), "div excludes b = 0");
  }
});

Deno.test("modInverse() inverts every nonzero residue of a prime and refuses a non-unit", () => {
  for (let b = 1; b < 13; b++) assertEquals((b * modInverse(b, 13)) % 13, 1);
  assertThrowsMsg(() => modInverse(4, 8), /no inverse/);
  assertOk(isPrime(97) && isPrime(113) && !isPrime(1) && !isPrime(91));
});

Deno.test("mul and div with a non-prime p are a clear error naming task.p", () => {
  for (const op of ["mul", "div"] as const) {
    assertThrowsMsg(
      () => modularTask(task({ p: 8, op })),
      /task\.p: .*prime.*p = 8/,
    );
  }
  assertEquals(
    modularTask(task({ p: 8, op: "add" })).train.n +
      modularTask(task({ p: 8, op: "sub" })).test.n,
    64,
  );
});

Deno.test("the split is disjoint, complete, sized by trainFraction and seed-stable", () => {
  const a = modularSplit(97 * 97, 0.3, 0);
  assertEquals(a.train.length, Math.round(0.3 * 97 * 97));
  const all = new Set([...a.train, ...a.test]);
  assertEquals(all.size, 97 * 97, "complete and disjoint");
  assertEquals(modularSplit(97 * 97, 0.3, 0), a, "same seed, same split");
  assertNotEquals(
    modularSplit(97 * 97, 0.3, 1).train,
    a.train,
    "other seed, other split",
  );
  // through the task: the train set's pairs are the same across encodings
  const oh = modularTask(task({ p: 11, seed: 3 }));
  const tok = modularTask(task({ p: 11, seed: 3, encoding: "tokens" }));
  assertEquals(oh.train.labels, tok.train.labels);
  assertEquals(oh.train.n + oh.test.n, 121);
});

Deno.test("one-hot encoding is one-hot(a) ⊕ one-hot(b) with one-hot(a∘b) targets", () => {
  const p = 7;
  const d = modularTask(task({ p, op: "sub", trainFraction: 0.5 }));
  assertEquals([d.inputDim, d.outputDim, d.classification, d.vocab], [
    14,
    7,
    true,
    undefined,
  ]);
  for (const s of [d.train, d.test]) {
    assertEquals([s.xShape, s.yShape], [[14], [7]]);
    assertEquals(s.x.length, s.n * 14);
    for (let i = 0; i < s.n; i++) {
      const row = Array.from(s.x.subarray(i * 14, (i + 1) * 14));
      assertEquals(row.reduce((x, y) => x + y, 0), 2);
      const a = row.indexOf(1);
      const b = row.indexOf(1, p) - p;
      assertOk(a < p && b >= 0);
      const label = s.labels![i];
      assertEquals(label, bruteForce(a, b, "sub", p));
      const y = Array.from(s.y.subarray(i * p, (i + 1) * p));
      assertEquals(
        y,
        Array.from({ length: p }, (_, c) => (c === label ? 1 : 0)),
      );
    }
  }
});

Deno.test("token encoding is the sequence a b = with '=' the token p", () => {
  const p = 7;
  const d = modularTask(task({ p, op: "div", encoding: "tokens" }));
  assertEquals([d.inputDim, d.outputDim, d.vocab], [3, 7, 8]);
  assertOk(d.train.x instanceof Int32Array);
  assertEquals(d.train.xShape, [3]);
  for (let i = 0; i < d.train.n; i++) {
    const [a, b, eq] = d.train.x.subarray(3 * i, 3 * i + 3);
    assertEquals(eq, p);
    assertEquals(d.train.labels![i], bruteForce(a, b, "div", p));
    assertEquals(d.train.y[i * p + d.train.labels![i]], 1);
  }
});
