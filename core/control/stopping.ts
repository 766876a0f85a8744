/**
 * `SpectralEdgeStopping` (SPEC §8): stops a run once the spectral edge has
 * shrunk — the metric (update-Gram gap g₂₃ by default) has fallen by
 * `threshold`× from its running peak — and then has not shrunk further for
 * `patience` measurements. During a memorisation plateau the gap has not
 * fallen from its peak, so the run is not stopped there.
 *
 * @example
 * ```ts
 * import { SpectralEdgeStopping } from "./stopping.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const s = new SpectralEdgeStopping({ threshold: 8, patience: 2, minStep: 0 });
 * for (const [t, g] of [[0, 1], [1, 10], [2, 0.5], [3, 0.6], [4, 0.7]]) s.observe(t, g);
 * assertEquals(s.stopped, true);
 * ```
 * @module
 */

/** Settings. */
export interface StoppingOptions {
  /** Required fall factor from the peak. */
  threshold: number;
  /** Measurements without a new minimum before stopping. */
  patience: number;
  /** Never stop before this step. */
  minStep: number;
}

/** The stopping rule. */
export class SpectralEdgeStopping {
  /** Running peak of the metric. */
  peak = -Infinity;
  /** Running minimum since the peak. */
  minSincePeak = Infinity;
  /** Measurements since the last new minimum. */
  sinceImprovement = 0;
  /** Whether the rule has fired. */
  stopped = false;
  /** Step at which it fired. */
  stoppedAt: number | null = null;

  /** Creates the rule. */
  constructor(readonly options: StoppingOptions) {}

  /** Feeds one measurement; returns true when the run should stop. */
  observe(step: number, value: number): boolean {
    if (this.stopped) return true;
    if (!Number.isFinite(value)) return false;
    if (value > this.peak) {
      this.peak = value;
      this.minSincePeak = value;
      this.sinceImprovement = 0;
      return false;
    }
    if (value < this.minSincePeak) {
      this.minSincePeak = value;
      this.sinceImprovement = 0;
    } else {
      this.sinceImprovement++;
    }
    const shrunk = this.minSincePeak <= this.peak / this.options.threshold;
    if (shrunk && this.sinceImprovement >= this.options.patience && step >= this.options.minStep) {
      this.stopped = true;
      this.stoppedAt = step;
    }
    return this.stopped;
  }

  /** One line explaining the stop. */
  reason(metric: string): string {
    return `SpectralEdgeStopping: ${metric} fell from peak ${this.peak.toPrecision(4)} to ${
      this.minSincePeak.toPrecision(4)
    } (≥ ${this.options.threshold}×) and did not shrink further for ${this.options.patience} measurements; stopped at step ${this.stoppedAt}`;
  }
}
