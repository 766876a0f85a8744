import { assertClose, assertEquals, assertNotEquals, assertOk, assertThrowsMsg } from "./assert.ts";
import {
  parityLabel,
  sampleSparseParity,
  sparseParityStructure,
  sparseParityTask,
  zipfFrequencies,
} from "../data/sparse_parity.ts";
import { loadTask } from "../data/mod.ts";
import { TaskSchema } from "../core/config/task_schema.ts";
import { semanticProblems } from "../core/config/semantics.ts";
import { rngFor } from "../core/rng.ts";

const cfg = {
  kind: "sparse-parity" as const,
  T: 5,
  n: 20,
  k: 3,
  alpha: 1,
  evalSize: 200,
  batchSize: 64,
  seed: 0,
};

/** Decodes row r of a split: (subtask, task bits, label). */
function row(x: Float32Array | Int32Array, y: Float32Array, r: number, T: number, n: number) {
  const d = T + n;
  const control = Array.from(x.subarray(r * d, r * d + T));
  const bits = Array.from(x.subarray(r * d + T, (r + 1) * d));
  return { control, bits, label: y[r * 2 + 1] === 1 ? 1 : 0, onehot: [y[r * 2], y[r * 2 + 1]] };
}

Deno.test("Zipf frequencies p_i ∝ i^-α sum to 1 (α = 0 is uniform)", () => {
  const p = zipfFrequencies(4, 1);
  const z = 1 + 1 / 2 + 1 / 3 + 1 / 4;
  p.forEach((v, i) => assertClose(v, 1 / (i + 1) / z, 1e-12));
  assertEquals(zipfFrequencies(3, 0), [1 / 3, 1 / 3, 1 / 3]);
  assertClose(zipfFrequencies(5, 2).reduce((a, b) => a + b), 1, 1e-12);
});

Deno.test("subsets are k distinct sorted bits of [0, n), distinct across subtasks, fixed by task.seed", () => {
  const s = sparseParityStructure(cfg);
  assertEquals(s.subsets.length, 5);
  for (const S of s.subsets) {
    assertEquals(S.length, 3);
    assertOk(S.every((j, q) => j >= 0 && j < 20 && (q === 0 || j > S[q - 1])), `${S}`);
  }
  assertEquals(new Set(s.subsets.map((S) => S.join(","))).size, 5);
  assertEquals(sparseParityStructure(cfg).subsets, s.subsets);
  assertNotEquals(sparseParityStructure({ ...cfg, seed: 1 }).subsets, s.subsets);
  // k = 1 with T = n: every bit exactly once
  const one = sparseParityStructure({ ...cfg, T: 6, n: 6, k: 1 });
  assertEquals(one.subsets.map((S) => S[0]).sort(), [0, 1, 2, 3, 4, 5]);
  assertThrowsMsg(
    () => sparseParityStructure({ ...cfg, k: 21 }),
    /task\.k \(21\) must be ≤ task\.n/,
  );
});

Deno.test("every example's label is the parity of its subtask's bits, control bits one-hot", () => {
  const d = sparseParityTask(cfg, { seed: 3, runId: "em/base" });
  const s = sparseParityStructure(cfg);
  assertEquals([d.inputDim, d.outputDim, d.classification], [25, 2, true]);
  const splits = [d.train, d.test, d.batch!(17, 300), ...d.evalGroups!.map((g) => g.split)];
  let checked = 0;
  for (const sp of splits) {
    for (let r = 0; r < sp.n; r++) {
      const e = row(sp.x, sp.y, r, 5, 20);
      assertEquals(e.control.reduce((a, b) => a + b), 1);
      assertOk(e.bits.every((b) => b === 0 || b === 1));
      const t = e.control.indexOf(1);
      const expected = s.subsets[t].reduce((a, j) => a + e.bits[j], 0) % 2;
      assertEquals(e.label, expected);
      assertEquals(sp.labels![r], expected);
      assertEquals(e.onehot[0] + e.onehot[1], 1);
      checked++;
    }
  }
  assertOk(checked > 2000);
  // a hand-checked example
  assertEquals(
    parityLabel({ T: 1, n: 4, k: 3, subsets: [[0, 1, 3]], freqs: [1] }, 0, [1, 0, 0, 1]),
    0,
  );
  assertEquals(
    parityLabel({ T: 1, n: 4, k: 3, subsets: [[0, 1, 3]], freqs: [1] }, 0, [1, 1, 0, 1]),
    1,
  );
});

Deno.test("eval group i holds only subtask i, the test split is their concatenation", () => {
  const d = sparseParityTask(cfg, { seed: 0, runId: "em/base" });
  const groups = d.evalGroups!;
  assertEquals(groups.map((g) => g.name), ["task_1", "task_2", "task_3", "task_4", "task_5"]);
  assertEquals(d.test.n, 5 * 200);
  groups.forEach((g, i) => {
    assertEquals(g.split.n, 200);
    for (let r = 0; r < g.split.n; r++) {
      assertEquals(row(g.split.x, g.split.y, r, 5, 20).control.indexOf(1), i);
    }
    assertEquals(
      Array.from(d.test.x.subarray(i * 200 * 25, (i + 1) * 200 * 25)),
      Array.from(g.split.x),
    );
    // both labels occur in roughly equal numbers (parity of uniform bits is fair)
    const ones = g.split.labels!.reduce((a, b) => a + b, 0);
    assertOk(Math.abs(ones - 100) < 4 * Math.sqrt(50), `${ones} ones of 200`);
  });
});

Deno.test("subtask frequencies of online batches follow Zipf within sampling error", () => {
  const d = sparseParityTask({ ...cfg, alpha: 1.5 }, { seed: 2, runId: "em/freq" });
  const p = zipfFrequencies(5, 1.5);
  const counts = new Array(5).fill(0);
  let total = 0;
  for (let step = 0; step < 100; step++) {
    const b = d.batch!(step, 200);
    for (let r = 0; r < b.n; r++) counts[row(b.x, b.y, r, 5, 20).control.indexOf(1)]++;
    total += b.n;
  }
  counts.forEach((c, i) => {
    const se = Math.sqrt(total * p[i] * (1 - p[i]));
    assertOk(
      Math.abs(c - total * p[i]) < 4 * se,
      `subtask ${i + 1}: ${c} vs ${total * p[i]} ± ${se}`,
    );
  });
  // the raw sampler with a fixed subtask draws only that subtask
  const one = sampleSparseParity(sparseParityStructure(cfg), 50, rngFor(0, "r", "x"), 3);
  assertOk(one.tasks.every((t) => t === 3));
});

Deno.test("batches are deterministic in (run seed, run id, step); fixed sets depend on task.seed only", () => {
  const a = sparseParityTask(cfg, { seed: 1, runId: "em/a" });
  const b = sparseParityTask(cfg, { seed: 1, runId: "em/a" });
  assertEquals(Array.from(a.batch!(5, 64).x), Array.from(b.batch!(5, 64).x));
  // history-independent: asking for step 9 first does not change step 5
  const c = sparseParityTask(cfg, { seed: 1, runId: "em/a" });
  c.batch!(9, 64);
  assertEquals(Array.from(c.batch!(5, 64).x), Array.from(a.batch!(5, 64).x));
  assertNotEquals(Array.from(a.batch!(5, 64).x), Array.from(a.batch!(6, 64).x));
  const other = sparseParityTask(cfg, { seed: 2, runId: "em/b" });
  assertNotEquals(Array.from(other.batch!(5, 64).x), Array.from(a.batch!(5, 64).x));
  assertEquals(Array.from(other.test.x), Array.from(a.test.x));
  assertEquals(Array.from(other.train.x), Array.from(a.train.x));
  const reseeded = sparseParityTask({ ...cfg, seed: 1 }, { seed: 1, runId: "em/a" });
  assertNotEquals(Array.from(reseeded.test.x), Array.from(a.test.x));
  assertThrowsMsg(() => a.batch!(-1, 4), /integer ≥ 0/);
});

Deno.test("schema: defaults, strictness, dispatch, and k > n refused", async () => {
  const t = TaskSchema.parse({ kind: "sparse-parity" });
  assertEquals(t, {
    kind: "sparse-parity",
    T: 5,
    n: 20,
    k: 3,
    alpha: 1,
    evalSize: 512,
    batchSize: 256,
    seed: 0,
  });
  assertOk(!TaskSchema.safeParse({ kind: "sparse-parity", Tasks: 5 }).success);
  const d = await loadTask({ ...cfg, evalSize: 4 }, { seed: 0, runId: "r" });
  assertEquals(d.kind, "sparse-parity");
  assertEquals(
    semanticProblems({ task: { kind: "sparse-parity", n: 3, k: 4 }, model: { kind: "mlp" } }),
    ["task.k: expected at most task.n = 3 bits per subtask (a k-subset of the n task bits), got 4"],
  );
  assertEquals(
    semanticProblems({
      task: { kind: "sparse-parity", n: 20, k: 3 },
      model: { kind: "transformer" },
    })
      .length,
    1,
  );
});
