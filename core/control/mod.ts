/**
 * The spectral-edge tools (SPEC §8) and the controller bundle the training
 * loop talks to: LR factor, stopping, per-row columns, events at the end.
 * @module
 */
import type { ControlConfig } from "../config/control_schema.ts";
import type { EventRow } from "../results/events.ts";
import { SpectralEdgeAwareLR } from "./spectral_lr.ts";
import { SpectralEdgeStopping } from "./stopping.ts";
import { type Columns, diagnosePhases } from "./phase_diagnostic.ts";

export * from "./spectral_lr.ts";
export * from "./stopping.ts";
export * from "./phase_diagnostic.ts";

/** The controllers of one run. */
export interface Controllers {
  /** Extra metrics columns. */
  columns(): string[];
  /** Current LR multiplier (1 without a spectral LR controller). */
  lrFactor(): number;
  /** Observes a measured row; returns extra cells for it. */
  observe(
    step: number,
    row: Record<string, number | null>,
    lr: number,
  ): Record<string, number | null>;
  /** Whether the run should stop now. */
  shouldStop(): boolean;
  /** Why it stopped. */
  stopReason(): string;
  /** Events to write (phase diagnostic), from the final rows' columns. */
  events(cols: Columns): EventRow[];
  /** Serialisable state. */
  getState(): unknown;
  /** Restores state. */
  setState(s: unknown): void;
}

/** Builds the controllers for a run's `control` block. */
export function createControllers(
  cfg: ControlConfig | undefined,
  ctx: { isAdam: boolean; batchSize?: number },
): Controllers {
  const lrCtl = cfg?.spectralLr ? new SpectralEdgeAwareLR(cfg.spectralLr) : null;
  const stop = cfg?.stopping ? new SpectralEdgeStopping(cfg.stopping) : null;
  const stopMetric = cfg?.stopping?.metric ?? "gram_g23";
  const sharpCol = ctx.isAdam ? "precond_lambda_max" : "lambda_max";
  return {
    columns: () => (lrCtl ? ["lr_factor", "target_sharpness"] : []),
    lrFactor: () => (lrCtl ? lrCtl.factor : 1),
    observe(step, row) {
      const out: Record<string, number | null> = {};
      if (lrCtl) {
        out.lr_factor = lrCtl.factor; // the factor in force for this row's lr
        out.target_sharpness = lrCtl.options.target;
        const lam = row[sharpCol];
        if (lam !== null && lam !== undefined) lrCtl.observe(lam);
      }
      if (stop) {
        const v = row[stopMetric];
        if (v !== null && v !== undefined) stop.observe(step, v);
      }
      return out;
    },
    shouldStop: () => stop?.stopped ?? false,
    stopReason: () => (stop ? stop.reason(stopMetric) : ""),
    events(cols) {
      if (!cfg?.diagnostic) return [];
      return diagnosePhases(cols, { window: cfg.diagnostic.window, batchSize: ctx.batchSize ?? 1 });
    },
    getState: () => ({
      lr: lrCtl ? { factor: lrCtl.factor, ema: lrCtl.emaValue } : null,
      stop: stop
        ? {
          peak: stop.peak,
          min: stop.minSincePeak,
          since: stop.sinceImprovement,
          stopped: stop.stopped,
          at: stop.stoppedAt,
        }
        : null,
    }),
    setState(s) {
      const st = s as {
        lr: { factor: number; ema: number | null } | null;
        stop: Record<string, unknown> | null;
      } | undefined;
      if (!st) return;
      if (lrCtl && st.lr) {
        lrCtl.factor = st.lr.factor;
        lrCtl.emaValue = st.lr.ema;
      }
      if (stop && st.stop) {
        stop.peak = st.stop.peak as number;
        stop.minSincePeak = st.stop.min as number;
        stop.sinceImprovement = st.stop.since as number;
        stop.stopped = st.stop.stopped as boolean;
        stop.stoppedAt = st.stop.at as number | null;
      }
    },
  };
}
