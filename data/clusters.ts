/**
 * Seeded Gaussian-cluster classification (SPEC §6.4): `classes` cluster
 * means at distance `separation` from the origin along seeded random unit
 * directions, isotropic noise of standard deviation `std`, balanced classes
 * (example i has label i mod classes), one-hot targets.
 *
 * @example
 * ```ts
 * import { clustersTask } from "./clusters.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const data = clustersTask({
 *   kind: "synthetic-classification", n: 300, testN: 300, dim: 16, classes: 4, separation: 2, std: 1, seed: 0,
 * });
 * assertEquals(data.train.xShape, [16]);
 * ```
 * @module
 */
import { rngFor } from "../core/rng.ts";
import type { ClassificationTask } from "../core/config/task_schema.ts";
import { oneHot, type Split, type TaskData } from "./types.ts";

const STREAM = "task:synthetic-classification";

/**
 * The cluster means, `classes × dim` row-major: separation · v_c with v_c
 * a seeded uniformly random unit vector.
 *
 * @example
 * ```ts
 * import { clusterMeans } from "./clusters.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(clusterMeans(3, 2, 1.5, 0).length, 6);
 * ```
 */
export function clusterMeans(
  classes: number,
  dim: number,
  separation: number,
  seed: number,
): Float64Array {
  const rng = rngFor(seed, STREAM, "data");
  const means = new Float64Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    const v = rng.normals(dim);
    let norm = 0;
    for (const t of v) norm += t * t;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) {
      means[c * dim + j] = (separation * v[j]) / norm;
    }
  }
  return means;
}

function sample(
  cfg: ClassificationTask,
  means: Float64Array,
  n: number,
  purpose: string,
): Split {
  const rng = rngFor(cfg.seed, STREAM, purpose);
  const { dim, classes } = cfg;
  const x = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < dim; j++) {
      x[i * dim + j] = means[c * dim + j] + cfg.std * rng.normal();
    }
  }
  return {
    x,
    y: oneHot(labels, classes),
    n,
    xShape: [dim],
    yShape: [classes],
    labels,
  };
}

/**
 * The task; train and test are independent draws from the same clusters.
 *
 * @example
 * ```ts
 * import { clustersTask } from "./clusters.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const d = clustersTask({
 *   kind: "synthetic-classification", n: 10, testN: 10, dim: 2, classes: 2, separation: 3, std: 0.5, seed: 1,
 * });
 * assertEquals(d.classification, true);
 * ```
 */
export function clustersTask(cfg: ClassificationTask): TaskData {
  const means = clusterMeans(cfg.classes, cfg.dim, cfg.separation, cfg.seed);
  return {
    kind: "synthetic-classification",
    inputDim: cfg.dim,
    outputDim: cfg.classes,
    classification: true,
    train: sample(cfg, means, cfg.n, "train"),
    test: sample(cfg, means, cfg.testN, "test"),
  };
}
