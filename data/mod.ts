/**
 * Task data: generators and loaders for every task kind, and
 * {@linkcode loadTask}, which dispatches on `task.kind`.
 *
 * @example
 * ```ts
 * import { loadTask } from "./mod.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const data = await loadTask(
 *   { kind: "chebyshev", degree: 3, n: 20, testN: 101 },
 *   { seed: 0, runId: "eos_chebyshev/base" },
 * );
 * assertEquals(data.train.n, 20);
 * ```
 * @module
 */
import type { TaskConfig } from "../core/config/task_schema.ts";
import { chebyshevTask } from "./chebyshev.ts";
import { cifar5mTask } from "./cifar5m.ts";
import { clustersTask } from "./clusters.ts";
import { modularTask } from "./modular.ts";
import { powerlawTask } from "./powerlaw.ts";
import { sparseParityTask } from "./sparse_parity.ts";
import type { TaskData } from "./types.ts";

export * from "./types.ts";
export * from "./modular.ts";
export * from "./powerlaw.ts";
export * from "./chebyshev.ts";
export * from "./clusters.ts";
export * from "./npz.ts";
export * from "./cifar5m.ts";
export * from "./sparse_parity.ts";

/** What {@linkcode loadTask} needs besides the task. */
export interface TaskContext {
  /** The run's seed (online batches; the task's own data use `task.seed`). */
  seed: number;
  /** The run id, e.g. `supercollapse/width=64,seed=1`. */
  runId: string;
  /** Data directory (`--data-dir`); else `PHASEBENCH_DATA`; CIFAR-5M only. */
  dataDir?: string;
}

/**
 * The data of a task. `powerlaw-curve` has no training data: the runner
 * generates it with {@linkcode powerlawCurve} instead.
 *
 * @example
 * ```ts
 * import { loadTask } from "./mod.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const d = await loadTask(
 *   { kind: "modular", p: 97, op: "add", trainFraction: 0.3, encoding: "onehot", seed: 0 },
 *   { seed: 0, runId: "grok/base" },
 * );
 * assertEquals(d.inputDim, 194);
 * ```
 */
export async function loadTask(
  cfg: TaskConfig,
  ctx: TaskContext,
): Promise<TaskData> {
  switch (cfg.kind) {
    case "modular":
      return modularTask(cfg);
    case "powerlaw":
      return powerlawTask(cfg, ctx);
    case "chebyshev":
      return chebyshevTask(cfg);
    case "synthetic-classification":
      return clustersTask(cfg);
    case "cifar5m":
      return await cifar5mTask(cfg, { dataDir: ctx.dataDir });
    case "sparse-parity":
      return sparseParityTask(cfg, ctx);
    case "powerlaw-curve":
      throw new Error(
        `task.kind: "powerlaw-curve" is an analytic curve, not training data: generate it with powerlawCurve(task, { steps, seed, runId })`,
      );
  }
}
