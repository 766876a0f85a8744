/**
 * Learning-rate schedules (as in the supercollapse reference code, plus a
 * floor `final`). For step t (0-based, the update about to be taken) of T:
 *
 *     W = warmup (steps), or round(warmup·T) when warmup ∈ (0, 1)
 *     t < W:   η_t = η·t/W                                   (linear warm-up from 0)
 *     else:    u = (t − W)/(T − W) ∈ [0, 1]                  (post-warm-up progress)
 *              x = max(0, (u − (1 − d))/d)                   (decay progress; d = decayFraction)
 *              η_t = η·(final + (1 − final)·s(x))
 *
 * with s(x): constant 1 (no decay, `final` ignored); linear 1 − x; cosine
 * ½(1 + cos πx); multicosine ½(1 + cos 3πx) (three half-periods: down, up,
 * down); quadratic 1 − x² (the reference's "quadratic"); power (1 − x)² (the
 * reference's "power"). d = 0 means no decay. At t = T the LR is
 * η·final; the last update (t = T − 1) is slightly above it.
 *
 * @example
 * ```ts
 * import { scheduleLr } from "./schedules.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(scheduleLr({ kind: "cosine" }, 0.1, 50, 100), 0.05);
 * assertEquals(scheduleLr({ kind: "linear", warmup: 10 }, 1, 5, 100), 0.5);
 * ```
 * @module
 */
import type { ScheduleInput } from "../config/optim_schema.ts";

/** Schedule kinds. */
export type ScheduleKind = NonNullable<ScheduleInput["kind"]>;

/**
 * The decay shape s(x) for x ∈ [0, 1] (s(0) = 1).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(decayShape("multicosine", 1 / 3), 0);
 * ```
 */
export function decayShape(kind: ScheduleKind, x: number): number {
  switch (kind) {
    case "constant":
      return 1;
    case "linear":
      return 1 - x;
    case "cosine":
      return 0.5 * (1 + Math.cos(Math.PI * x));
    case "multicosine":
      return 0.5 * (1 + Math.cos(3 * Math.PI * x));
    case "quadratic":
      return 1 - x * x;
    case "power":
      return (1 - x) * (1 - x);
  }
}

/**
 * Warm-up length in steps: `warmup` itself when ≥ 1, else round(warmup·T).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(warmupSteps({ warmup: 0.1 }, 250), 25);
 * ```
 */
export function warmupSteps(cfg: ScheduleInput, totalSteps: number): number {
  const w = cfg.warmup ?? 0;
  return w > 0 && w < 1 ? Math.round(w * totalSteps) : w;
}

/**
 * The learning rate at `step` (0-based) of `totalSteps` for peak `peakLr`
 * (formulas in the module doc). Missing fields take the schema defaults.
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * assertClose(scheduleLr({ kind: "linear", decayFraction: 0.2 }, 1, 90, 100), 0.5, 1e-12);
 * ```
 */
export function scheduleLr(
  cfg: ScheduleInput,
  peakLr: number,
  step: number,
  totalSteps: number,
): number {
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new Error(
      `schedule: totalSteps must be an integer ≥ 1, got ${totalSteps}`,
    );
  }
  if (!Number.isInteger(step) || step < 0) {
    throw new Error(`schedule: step must be an integer ≥ 0, got ${step}`);
  }
  const kind = cfg.kind ?? "constant";
  const W = warmupSteps(cfg, totalSteps);
  if (step < W) return peakLr * step / W;
  const d = cfg.decayFraction ?? 1;
  if (kind === "constant" || d === 0) return peakLr;
  const span = totalSteps - W;
  const u = span > 0 ? Math.min(1, (step - W) / span) : 1;
  const x = Math.min(1, Math.max(0, (u - (1 - d)) / d));
  const final = cfg.final ?? 0;
  return peakLr * (final + (1 - final) * decayShape(kind, x));
}
