import {
  assertClose,
  assertEquals,
  assertNotEquals,
  assertOk,
  assertRejectsMsg,
} from "./assert.ts";
import { chebyshevT, linspace, loadTask } from "../data/mod.ts";
import { TaskSchema } from "../core/config/task_schema.ts";

const ctx = { seed: 0, runId: "t/base" };

Deno.test("chebyshevT() matches the closed forms T3 = 4x³ − 3x and T_d(cos θ) = cos(dθ)", () => {
  for (const x of [-1, -0.3, 0, 0.5, 0.9, 1]) {
    assertClose(chebyshevT(3, x), 4 * x ** 3 - 3 * x, 1e-14, `T3(${x})`);
    assertEquals(chebyshevT(0, x), 1);
    assertEquals(chebyshevT(1, x), x);
  }
  for (const d of [2, 5, 8]) {
    for (const theta of [0.1, 1, 2.5]) {
      assertClose(
        chebyshevT(d, Math.cos(theta)) + 2,
        Math.cos(d * theta) + 2,
        1e-12,
      );
    }
  }
});

Deno.test("the chebyshev task is T3 on 20 evenly spaced points of [−1, 1] (numpy linspace)", async () => {
  const d = await loadTask(TaskSchema.parse({ kind: "chebyshev" }), ctx);
  assertEquals([d.kind, d.inputDim, d.outputDim, d.classification], [
    "chebyshev",
    1,
    1,
    false,
  ]);
  assertEquals([d.train.n, d.train.xShape, d.train.yShape, d.test.n], [
    20,
    [1],
    [1],
    101,
  ]);
  const xs = linspace(-1, 1, 20);
  for (let i = 0; i < 20; i++) {
    assertClose(d.train.x[i] + 2, -1 + (2 * i) / 19 + 2, 1e-7);
    assertEquals(d.train.y[i], Math.fround(4 * xs[i] ** 3 - 3 * xs[i]));
  }
  assertEquals([d.train.x[0], d.train.x[19], d.train.y[0], d.train.y[19]], [
    -1,
    1,
    -1,
    1,
  ]);
});

Deno.test("Gaussian clusters are seeded, balanced, one-hot, and separated as configured", async () => {
  const cfg = TaskSchema.parse({
    kind: "synthetic-classification",
    n: 400,
    testN: 200,
    dim: 5,
    classes: 4,
    std: 0.1,
  });
  const a = await loadTask(cfg, ctx);
  assertEquals(
    [a.inputDim, a.outputDim, a.classification, a.train.n, a.test.n],
    [5, 4, true, 400, 200],
  );
  assertEquals([a.train.xShape, a.train.yShape], [[5], [4]]);
  assertEquals(a.train.labels!.filter((c) => c === 2).length, 100);
  for (let i = 0; i < a.train.n; i++) {
    assertEquals(a.train.y[i * 4 + a.train.labels![i]], 1);
  }
  // class means at distance `separation` (= 2) from the origin
  for (let c = 0; c < 4; c++) {
    const mean = new Array(5).fill(0);
    let count = 0;
    for (let i = 0; i < a.train.n; i++) {
      if (a.train.labels![i] !== c) continue;
      count++;
      for (let j = 0; j < 5; j++) mean[j] += a.train.x[i * 5 + j];
    }
    assertClose(
      Math.hypot(...mean.map((m) => m / count)),
      2,
      0.02,
      `class ${c}`,
    );
  }
  const again = await loadTask(cfg, { seed: 5, runId: "other" });
  assertEquals(again.train.x, a.train.x, "data depend on task.seed only");
  const other = await loadTask(TaskSchema.parse({ ...cfg, seed: 1 }), ctx);
  assertNotEquals(other.train.x, a.train.x);
  assertNotEquals(a.test.x.slice(0, 5), a.train.x.slice(0, 5));
});

Deno.test("loadTask() refuses powerlaw-curve, which is not training data", async () => {
  const cfg = TaskSchema.parse({ kind: "powerlaw-curve", params: 1e6 });
  await assertRejectsMsg(
    () => loadTask(cfg, ctx),
    /powerlaw-curve.*powerlawCurve/,
  );
});

Deno.test("TaskSchema fills defaults and rejects unknown fields and bad values with their path", () => {
  const m = TaskSchema.parse({ kind: "modular" });
  assertEquals(m, {
    kind: "modular",
    p: 97,
    op: "add",
    trainFraction: 0.3,
    encoding: "onehot",
    seed: 0,
  });
  const c = TaskSchema.parse({ kind: "cifar5m" });
  assertEquals(c, {
    kind: "cifar5m",
    parts: [0],
    subset: { n: 5000, seed: 0 },
    testN: 1000,
    classes: 10,
    view: "flat",
    standardize: true,
  });
  const p = TaskSchema.parse({ kind: "powerlaw" });
  assertEquals([
    p.kind === "powerlaw" && p.features,
    p.kind === "powerlaw" && p.inputDim,
  ], [10000, 8]);
  const bad = (input: unknown) => {
    const r = TaskSchema.safeParse(input);
    assertOk(!r.success, JSON.stringify(input));
    return r.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
  };
  assertEquals(bad({ kind: "modular", P: 97 }), [": unrecognized_keys"]);
  assertEquals(bad({ kind: "modular", trainFraction: 1.5 }), [
    "trainFraction: too_big",
  ]);
  assertEquals(bad({ kind: "powerlaw-curve" }), ["params: invalid_type"]);
  assertEquals(
    bad({ kind: "powerlaw-curve", params: 10, noise: { sigma: 0.1, rho: 1 } }),
    ["noise: unrecognized_keys"],
  );
  assertEquals(bad({ kind: "cifar5m", parts: [6] }), ["parts.0: too_big"]);
  const sub = TaskSchema.parse({ kind: "cifar5m", subset: { n: 10 } });
  assertEquals(
    sub.kind === "cifar5m" && sub.subset,
    { n: 10, seed: 0 },
    "subset.seed defaults to 0",
  );
});
