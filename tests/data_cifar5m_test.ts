import {
  assertClose,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertOk,
  assertRejectsMsg,
} from "./assert.ts";
import { loadTask } from "../data/mod.ts";
import { TaskSchema } from "../core/config/task_schema.ts";
import { imageOf, labelOf, writePart } from "./fake_cifar5m.ts";
import type { TaskData } from "../data/types.ts";

const ctx = (dataDir: string) => ({ seed: 0, runId: "cifar/base", dataDir });
const cifar = (over: Record<string, unknown> = {}) =>
  TaskSchema.parse({
    kind: "cifar5m",
    parts: [0, 1],
    subset: { n: 50, seed: 0 },
    testN: 20,
    ...over,
  });

/** Global index of each example of an unstandardised flat split. */
function indices(d: TaskData["train"]): number[] {
  return Array.from(
    { length: d.n },
    (_, i) =>
      Math.round(d.x[i * 3072] * 255) * 256 +
      Math.round(d.x[i * 3072 + 1] * 255),
  );
}

async function withParts(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await writePart(dir, 0, 0, 60, 0); // stored
    await writePart(dir, 1, 60, 40, 6); // deflated
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("absent CIFAR-5M files give a skipped task with one line naming the directory and files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const d = await loadTask(cifar(), ctx(dir));
    assertOk(d.skipped);
    assertMatch(
      d.skipped,
      /^CIFAR-5M not found: put part0\.npz, part1\.npz .* in .*PHASEBENCH_DATA/,
    );
    assertOk(d.skipped.includes(dir) && !d.skipped.includes("\n"));
    assertEquals([d.train.n, d.test.n, d.inputDim, d.outputDim], [
      0,
      0,
      3072,
      10,
    ]);
    await writePart(dir, 0, 0, 10, 0);
    const partial = await loadTask(cifar(), ctx(dir));
    assertMatch(
      partial.skipped ?? "",
      /put part1\.npz \(of/,
      "names only the missing part",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the flat view draws a seeded, disjoint subset across parts with the right images and labels", async () => {
  await withParts(async (dir) => {
    const d = await loadTask(cifar({ standardize: false }), ctx(dir));
    assertEquals(d.skipped, undefined);
    assertEquals([
      d.train.n,
      d.test.n,
      d.inputDim,
      d.outputDim,
      d.classification,
    ], [50, 20, 3072, 10, true]);
    assertEquals([d.train.xShape, d.train.yShape], [[3072], [10]]);
    const train = indices(d.train);
    const test = indices(d.test);
    assertEquals(
      new Set([...train, ...test]).size,
      70,
      "distinct and disjoint",
    );
    assertOk(
      train.some((g) => g < 60) && train.some((g) => g >= 60),
      "draws from both parts",
    );
    [d.train, d.test].forEach((s, k) => {
      (k === 0 ? train : test).forEach((g, i) => {
        const img = imageOf(g);
        for (const j of [2, 100, 3071]) {
          assertClose(s.x[i * 3072 + j], img[j] / 255, 1e-7);
        }
        assertEquals(s.labels![i], labelOf(g));
        assertEquals(s.y[i * 10 + labelOf(g)], 1);
      });
    });
    const again = await loadTask(cifar({ standardize: false }), ctx(dir));
    assertEquals(indices(again.train), train, "same subset.seed, same subset");
    const other = await loadTask(
      cifar({ standardize: false, subset: { n: 50, seed: 1 } }),
      ctx(dir),
    );
    assertNotEquals(
      indices(other.train),
      train,
      "other subset.seed, other subset",
    );
  });
});

Deno.test("standardisation uses the training subset's per-feature mean and std (ddof 0), applied to test", async () => {
  await withParts(async (dir) => {
    const raw = await loadTask(cifar({ standardize: false }), ctx(dir));
    const d = await loadTask(cifar(), ctx(dir));
    const n = d.train.n;
    for (const j of [5, 777, 3071]) {
      let m = 0, v = 0, rm = 0, rv = 0;
      for (let i = 0; i < n; i++) m += d.train.x[i * 3072 + j] / n;
      for (let i = 0; i < n; i++) v += (d.train.x[i * 3072 + j] - m) ** 2 / n;
      for (let i = 0; i < n; i++) rm += raw.train.x[i * 3072 + j] / n;
      for (let i = 0; i < n; i++) {
        rv += (raw.train.x[i * 3072 + j] - rm) ** 2 / n;
      }
      assertOk(Math.abs(m) < 1e-5, `feature ${j} mean ${m}`);
      assertClose(v, 1, 1e-4, `feature ${j} variance`);
      const i = 7; // a test image uses the training statistics
      assertClose(
        d.test.x[i * 3072 + j],
        (raw.test.x[i * 3072 + j] - rm) / Math.sqrt(rv),
        1e-4,
      );
    }
  });
});

Deno.test("grey tokens are ⌊mean of RGB⌋ over 1024 pixels, vocab 256; classes filters labels", async () => {
  await withParts(async (dir) => {
    const raw = await loadTask(cifar({ standardize: false }), ctx(dir));
    const g = await loadTask(cifar({ view: "grey-tokens" }), ctx(dir));
    assertEquals([g.inputDim, g.vocab, g.train.xShape], [1024, 256, [1024]]);
    assertOk(g.train.x instanceof Int32Array);
    const img = indices(raw.train).map(imageOf)[3];
    for (const p of [0, 511, 1023]) {
      assertEquals(
        g.train.x[3 * 1024 + p],
        Math.floor((img[3 * p] + img[3 * p + 1] + img[3 * p + 2]) / 3),
      );
    }
    const three = await loadTask(
      cifar({ classes: 3, subset: { n: 20, seed: 0 }, testN: 5 }),
      ctx(dir),
    );
    assertEquals(three.outputDim, 3);
    assertOk(
      [...three.train.labels!, ...three.test.labels!].every((c) => c < 3),
    );
    await assertRejectsMsg(
      () => loadTask(cifar({ classes: 3, subset: { n: 40, seed: 0 } }), ctx(dir)),
      /task\.subset\.n \+ task\.testN = 60 exceeds the \d+ images with label < 3/,
    );
  });
});

Deno.test("a part whose X is not uint8 is an error naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writePart(dir, 0, 0, 4, 0, "|i1");
    await assertRejectsMsg(
      () =>
        loadTask(
          cifar({ parts: [0], subset: { n: 2, seed: 0 }, testN: 1 }),
          ctx(dir),
        ),
      /part0\.npz: X has dtype '\|i1', expected uint8/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
