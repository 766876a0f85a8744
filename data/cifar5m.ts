/**
 * A seeded subset of CIFAR-5M (SPEC §6.3; Nakkiran et al. 2021): files
 * `part0.npz` … `part5.npz`, each with `X` uint8 (N, 32, 32, 3) and `Y`
 * integer labels (N,).
 *
 * Selection: the images of the requested parts with label < `classes` are
 * numbered part by part; `subset.n + testN` distinct ones are drawn from
 * `rngFor(subset.seed, "task:cifar5m", "subset")` (Floyd's algorithm, then a
 * seeded shuffle); the first `subset.n` are the training set, the rest the
 * test set (disjoint by construction). Only the chosen images are read.
 *
 * Views:
 * - `flat`: 3072 features in (row, column, channel) order, scaled by 1/255;
 *   with `standardize`, each of the 3072 features is centred and divided by
 *   its standard deviation (ddof 0) computed on the training subset, and the
 *   test set uses the training statistics. This is Cohen et al.'s
 *   `center`/`standardize` (per pixel × channel feature, `X_train.mean(0)`,
 *   `X_train.std(0)`), except that they took the statistics of the full
 *   50,000-image CIFAR-10 training set before keeping 5,000 images, while
 *   here they come from the subset itself (SPEC §6.3). A feature with zero
 *   spread is centred only.
 * - `grey-tokens`: ⌊(R + G + B)/3⌋ per pixel (numpy's `mean(-1).astype(uint8)`)
 *   as 1024 integer tokens, vocab 256.
 *
 * Targets are one-hot class labels in both views.
 *
 * @example
 * ```ts
 * import { cifar5mTask } from "./cifar5m.ts";
 * import { writePart } from "../tests/fake_cifar5m.ts";
 * import { assertEquals, assertMatch } from "../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writePart(dir, 0, 0, 300, 0); // a fake part0.npz of 300 images in the real format
 * const data = await cifar5mTask(
 *   { kind: "cifar5m", parts: [0], subset: { n: 100, seed: 0 }, testN: 50, classes: 10, view: "flat", standardize: true },
 *   { dataDir: dir },
 * );
 * assertEquals([data.skipped, data.train.n, data.test.n, data.inputDim], [undefined, 100, 50, 3072]);
 * // without the files the task is skipped with one line that says where to put them
 * const none = await cifar5mTask(
 *   { kind: "cifar5m", parts: [0], subset: { n: 100, seed: 0 }, testN: 50, classes: 10, view: "flat", standardize: true },
 *   { dataDir: `${dir}/none` },
 * );
 * assertMatch(none.skipped!, /^CIFAR-5M not found: put part0.npz/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { rngFor } from "../core/rng.ts";
import type { Cifar5mTask } from "../core/config/task_schema.ts";
import { NpzError, NpzFile } from "./npz.ts";
import { emptySplit, oneHot, type Split, type TaskData } from "./types.ts";

/** Directory used when neither `dataDir` nor `PHASEBENCH_DATA` is given. */
export const DEFAULT_CIFAR5M_DIR = "data/cifar5m";

/** Pixels per image and features per image. */
const PIXELS = 32 * 32;
const FEATURES = PIXELS * 3;

/**
 * Where to look for CIFAR-5M: the explicit `dataDir` (the runner's
 * `--data-dir`), else the environment variable `PHASEBENCH_DATA`, else
 * {@linkcode DEFAULT_CIFAR5M_DIR}.
 *
 * @example
 * ```ts
 * import { cifar5mDir } from "./cifar5m.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(cifar5mDir("/datasets"), "/datasets");
 * ```
 */
export function cifar5mDir(dataDir?: string): string {
  if (dataDir) return dataDir;
  let env: string | undefined;
  try {
    env = Deno.env.get("PHASEBENCH_DATA");
  } catch {
    env = undefined; // no env permission: fall back to the default
  }
  return env || DEFAULT_CIFAR5M_DIR;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * The paths of the requested parts: `<dir>/partK.npz`, or
 * `<dir>/cifar5m/partK.npz` when all are there instead; `missing` lists the
 * expected file names that exist in neither place.
 *
 * @example
 * ```ts
 * import { findParts } from "./cifar5m.ts";
 * import { writePart } from "../tests/fake_cifar5m.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writePart(dir, 0, 0, 10, 0);
 * const { paths, missing } = await findParts(dir, [0, 1]);
 * assertEquals([paths, missing], [[`${dir}/part0.npz`, `${dir}/part1.npz`], ["part1.npz"]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findParts(
  dir: string,
  parts: number[],
): Promise<{ paths: string[]; missing: string[] }> {
  for (const sub of [dir, `${dir}/cifar5m`]) {
    const paths = parts.map((k) => `${sub}/part${k}.npz`);
    const present = await Promise.all(paths.map(exists));
    if (present.every((p) => p)) return { paths, missing: [] };
    if (sub === dir && present.some((p) => p)) {
      return {
        paths,
        missing: parts.filter((_, i) => !present[i]).map((k) => `part${k}.npz`),
      };
    }
  }
  return { paths: [], missing: parts.map((k) => `part${k}.npz`) };
}

/**
 * k distinct integers from [0, n), in seeded random order (Floyd's
 * algorithm, then a Fisher–Yates shuffle); O(k) memory.
 *
 * @example
 * ```ts
 * import { sampleWithoutReplacement } from "./cifar5m.ts";
 * import { rngFor } from "../core/rng.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(sampleWithoutReplacement(1_000_000, 3, rngFor(0, "x", "subset")).length, 3);
 * ```
 */
export function sampleWithoutReplacement(
  n: number,
  k: number,
  rng: ReturnType<typeof rngFor>,
): Float64Array {
  if (k > n) throw new RangeError(`cannot draw ${k} distinct items from ${n}`);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  const out = Float64Array.from(chosen);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function skippedTask(cfg: Cifar5mTask, reason: string): TaskData {
  const tokens = cfg.view === "grey-tokens";
  const xShape = [tokens ? PIXELS : FEATURES];
  return {
    kind: "cifar5m",
    inputDim: xShape[0],
    outputDim: cfg.classes,
    ...(tokens ? { vocab: 256 } : {}),
    classification: true,
    train: emptySplit(xShape, [cfg.classes], tokens),
    test: emptySplit(xShape, [cfg.classes], tokens),
    skipped: reason,
  };
}

/**
 * Loads the task, or returns it with `skipped` set (one line naming the
 * directory and the expected files) when the files are absent.
 *
 * @example
 * ```ts
 * import { cifar5mTask } from "./cifar5m.ts";
 * import { writePart } from "../tests/fake_cifar5m.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writePart(dir, 0, 0, 300, 0);
 * const d = await cifar5mTask(
 *   { kind: "cifar5m", parts: [0], subset: { n: 100, seed: 1 }, testN: 50, classes: 10, view: "grey-tokens", standardize: true },
 *   { dataDir: dir },
 * );
 * assertEquals([d.train.n, d.train.xShape, d.vocab], [100, [1024], 256]); // 32·32 grey-level tokens
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function cifar5mTask(
  cfg: Cifar5mTask,
  opts: { dataDir?: string },
): Promise<TaskData> {
  const dir = cifar5mDir(opts.dataDir);
  const parts = [...new Set(cfg.parts)];
  const { paths, missing } = await findParts(dir, parts);
  if (missing.length > 0) {
    return skippedTask(
      cfg,
      `CIFAR-5M not found: put ${
        missing.join(", ")
      } (of part0.npz … part5.npz) in ${dir} (or set PHASEBENCH_DATA / --data-dir)`,
    );
  }
  const files = await Promise.all(paths.map((p) => NpzFile.open(p)));
  try {
    return await load(cfg, files);
  } finally {
    for (const f of files) f.close();
  }
}

async function load(cfg: Cifar5mTask, files: NpzFile[]): Promise<TaskData> {
  // labels of every image (small), candidates = images with label < classes
  const labelsOf: Int32Array[] = [];
  for (const f of files) {
    const hx = await f.header("X");
    if (hx.descr !== "|u1" && hx.descr !== "<u1") {
      throw new NpzError(
        f.path,
        `X has dtype '${hx.descr}', expected uint8 ('|u1')`,
      );
    }
    const s = hx.shape;
    if (s.length !== 4 || s[1] !== 32 || s[2] !== 32 || s[3] !== 3) {
      throw new NpzError(
        f.path,
        `X has shape (${s.join(", ")}), expected (N, 32, 32, 3)`,
      );
    }
    const y = await f.read("Y");
    if (y.data instanceof Float32Array || y.data instanceof Float64Array) {
      throw new NpzError(
        f.path,
        `Y has dtype '${y.descr}', expected integer labels`,
      );
    }
    if (y.shape.length !== 1 || y.shape[0] !== s[0]) {
      throw new NpzError(
        f.path,
        `Y has shape (${y.shape.join(", ")}), expected (${s[0]},) to match X`,
      );
    }
    labelsOf.push(Int32Array.from(y.data));
  }
  const total = labelsOf.reduce((a, l) => a + l.length, 0);
  let candidates: Int32Array | null = null; // null = every image
  if (labelsOf.some((l) => l.some((c) => c < 0 || c >= cfg.classes))) {
    candidates = new Int32Array(total);
    let m = 0;
    let g = 0;
    for (const l of labelsOf) {
      for (const c of l) {
        if (c >= 0 && c < cfg.classes) candidates[m++] = g;
        g++;
      }
    }
    candidates = candidates.subarray(0, m);
  }
  const available = candidates ? candidates.length : total;
  const need = cfg.subset.n + cfg.testN;
  if (need > available) {
    throw new RangeError(
      `task.subset.n + task.testN = ${need} exceeds the ${available} images with label < ${cfg.classes} in parts [${
        cfg.parts.join(", ")
      }]`,
    );
  }
  const picks = sampleWithoutReplacement(
    available,
    need,
    rngFor(cfg.subset.seed, "task:cifar5m", "subset"),
  );
  const global = candidates ? Float64Array.from(picks, (i) => candidates[i]) : picks;

  // read the chosen images part by part (each read in index order)
  const starts = [0];
  for (const l of labelsOf) starts.push(starts[starts.length - 1] + l.length);
  const pixels = new Uint8Array(need * FEATURES);
  const labels = new Int32Array(need);
  for (let p = 0; p < files.length; p++) {
    const slots: number[] = [];
    for (let i = 0; i < need; i++) {
      if (global[i] >= starts[p] && global[i] < starts[p + 1]) slots.push(i);
    }
    if (slots.length === 0) continue;
    const local = slots.map((i) => global[i] - starts[p]);
    const rows = await files[p].readRows("X", local);
    const data = rows.data as Uint8Array;
    slots.forEach((slot, r) => {
      pixels.set(
        data.subarray(r * FEATURES, (r + 1) * FEATURES),
        slot * FEATURES,
      );
      labels[slot] = labelsOf[p][local[r]];
    });
  }
  const nTrain = cfg.subset.n;
  const split = (
    from: number,
    to: number,
    x: Float32Array | Int32Array,
    width: number,
  ): Split => {
    const lab = labels.slice(from, to);
    return {
      x: x.slice(from * width, to * width),
      y: oneHot(lab, cfg.classes),
      n: to - from,
      xShape: [width],
      yShape: [cfg.classes],
      labels: lab,
    };
  };
  if (cfg.view === "grey-tokens") {
    const tokens = new Int32Array(need * PIXELS);
    for (let i = 0; i < need * PIXELS; i++) {
      tokens[i] = Math.floor(
        (pixels[3 * i] + pixels[3 * i + 1] + pixels[3 * i + 2]) / 3,
      );
    }
    return {
      kind: "cifar5m",
      inputDim: PIXELS,
      outputDim: cfg.classes,
      vocab: 256,
      classification: true,
      train: split(0, nTrain, tokens, PIXELS),
      test: split(nTrain, need, tokens, PIXELS),
    };
  }
  const x = new Float32Array(need * FEATURES);
  if (cfg.standardize) {
    const { mean, std } = featureStats(pixels, nTrain, FEATURES);
    for (let i = 0; i < need; i++) {
      for (let j = 0; j < FEATURES; j++) {
        const k = i * FEATURES + j;
        x[k] = (pixels[k] / 255 - mean[j]) / std[j];
      }
    }
  } else {
    for (let k = 0; k < x.length; k++) x[k] = pixels[k] / 255;
  }
  return {
    kind: "cifar5m",
    inputDim: FEATURES,
    outputDim: cfg.classes,
    classification: true,
    train: split(0, nTrain, x, FEATURES),
    test: split(nTrain, need, x, FEATURES),
  };
}

/**
 * Per-feature mean and standard deviation (ddof 0) of the first n rows of
 * uint8 data scaled by 1/255; a zero standard deviation is reported as 1.
 *
 * @example
 * ```ts
 * import { featureStats } from "./cifar5m.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(featureStats(Uint8Array.of(0, 255), 2, 1).mean[0], 0.5);
 * ```
 */
export function featureStats(
  pixels: Uint8Array,
  n: number,
  width: number,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) mean[j] += pixels[i * width + j] / 255;
  }
  for (let j = 0; j < width; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) {
      const d = pixels[i * width + j] / 255 - mean[j];
      std[j] += d * d;
    }
  }
  for (let j = 0; j < width; j++) std[j] = Math.sqrt(std[j] / n) || 1;
  return { mean, std };
}
