/**
 * Sweep expansion: a grid over field paths becomes one run per point, each with
 * a readable, stable run id (`eos_gd/width=64,lr=0.05,seed=1`) and a short hash
 * of its resolved config.
 *
 * @example
 * ```ts
 * import { expandSweep } from "./sweep.ts";
 * import { ExperimentSchema } from "./schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const exp = ExperimentSchema.parse({
 *   name: "exp",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.1 },
 *   budget: { steps: 10 },
 *   sweep: { "optimizer.lr": [0.2, 0.4] },
 * });
 * const plans = expandSweep(exp, "exp.json");
 * assertEquals(plans.map((p) => p.runId), ["exp/lr=0.2", "exp/lr=0.4"]);
 * assertEquals(plans[1].config.optimizer?.lr, 0.4);
 * ```
 * @module
 */
import { type Experiment, ExperimentSchema } from "./schema.ts";
import { ConfigError, configErrorFromZod } from "./errors.ts";
import { applyOverride } from "./overrides.ts";
import { hash32 } from "../rng.ts";

/** A sweep value. */
export type Scalar = number | string | boolean;

/** One run of an experiment. */
export interface RunPlan {
  /** Experiment name. */
  experiment: string;
  /** `experiment/k=v,k=v` or `experiment/base`. */
  runId: string;
  /** Directory name: `k=v,k=v~hash` or `base~hash`. */
  dirName: string;
  /** Sweep values by full field path. */
  point: Record<string, Scalar>;
  /** The run's resolved config (sweep applied, `sweep` emptied). */
  config: Experiment;
  /** 6 hex digits of the hash of what determines the numbers. */
  hash: string;
  /**
   * Key of the run's random streams: the run id without the experiment's
   * `pairOver` axes (absent: the run id), so paired runs share their draws.
   */
  streamId?: string;
}

/** JSON with object keys sorted recursively (stable hashing). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v as object).sort();
    return `{${
      keys.filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(v);
}

/** Hash of the parts of a config that determine its numbers. */
export function configHash(c: Experiment): string {
  const { task, model, loss, optimizer, schedule, budget, measure, control, seed, pairOver } = c;
  const text = canonicalJson({
    pairOver,
    task,
    model,
    loss,
    optimizer,
    schedule,
    budget,
    measure,
    control,
    seed,
  });
  return hash32(text).toString(16).padStart(8, "0").slice(0, 6);
}

function formatValue(v: Scalar): string {
  return typeof v === "number" ? String(v) : String(v);
}

/** Expands the sweep into runs (cartesian product, in the order written). */
export function expandSweep(exp: Experiment, file: string): RunPlan[] {
  const paths = Object.keys(exp.sweep);
  const short = paths.map((p) => p.split(".").pop()!);
  const labels = paths.map((p, i) => short.filter((s) => s === short[i]).length > 1 ? p : short[i]);
  let points: Record<string, Scalar>[] = [{}];
  for (const p of paths) {
    const next: Record<string, Scalar>[] = [];
    for (const pt of points) for (const v of exp.sweep[p]) next.push({ ...pt, [p]: v });
    points = next;
  }
  const base = structuredClone(exp) as Record<string, unknown>;
  base.sweep = {};
  return points.map((point) => {
    const raw = structuredClone(base);
    for (const [p, v] of Object.entries(point)) applyOverride(raw, p, v, `${file}: sweep["${p}"]`);
    const parsed = ExperimentSchema.safeParse(raw);
    if (!parsed.success) {
      const err = configErrorFromZod(file, parsed.error, raw);
      throw new ConfigError(
        `${err.message} (at sweep point ${JSON.stringify(point)}; check the sweep field paths)`,
      );
    }
    const label = paths.length === 0
      ? "base"
      : paths.map((p, i) => `${labels[i]}=${formatValue(point[p])}`).join(",");
    const hash = configHash(parsed.data);
    const paired = exp.pairOver ?? [];
    const streamLabel = paths.filter((p) => !paired.includes(p))
      .map((p) => `${labels[paths.indexOf(p)]}=${formatValue(point[p])}`).join(",") || "base";
    return {
      experiment: exp.name,
      runId: `${exp.name}/${label}`,
      dirName: `${label}~${hash}`,
      point,
      config: parsed.data,
      hash,
      ...(paired.length > 0 ? { streamId: `${exp.name}/${streamLabel}` } : {}),
    };
  });
}
