/**
 * `SpectralEdgeAwareLR` (SPEC §8): multiplies the learning rate up or down so
 * that an EMA of the measured sharpness stays near a target, with a bounded
 * relative change per measurement. It works *with* the edge of stability:
 * under GD the sharpness self-stabilises at c/η, so raising η when λ_max is
 * above the target moves the edge c/η down onto the target (and lowering η
 * when it is below lets it sharpen). The factor stays in [minFactor, maxFactor].
 *
 *   ema ← a·ema + (1 − a)·λ_max,
 *   factor ← clamp(factor · clip((ema/target)^gain, 1 − m, 1 + m), minFactor, maxFactor)
 *
 * Why the direction is the reverse of the seed's `SpectralEdgeAwareLR`
 * (`law: "seed"`: lr ×0.9 whenever the EMA exceeds 1.1× target): that rule
 * treats high sharpness as a danger to be met with a smaller step, as in
 * classical stability analysis. Under full-batch GD at the edge of stability
 * the causality runs the other way: λ_max is *pulled to* 2/η by the
 * dynamics, so lowering η raises the edge 2/η and the sharpness follows it
 * up; the EMA stays above the target, the rule keeps lowering η, and λ_max
 * keeps climbing away from the target (the seed's rule, run literally, never
 * holds the target: see `experiments/spectral_lr_control.ts`). Raising η
 * lowers the edge onto the target, which is a stable feedback loop.
 *
 * @example
 * ```ts
 * import { SpectralEdgeAwareLR } from "./spectral_lr.ts";
 * const c = new SpectralEdgeAwareLR({ target: 5, ema: 0.5, maxChange: 0.1, gain: 1, minFactor: 1, maxFactor: 10 });
 * import { assertClose } from "../../tests/assert.ts";
 * c.observe(10); // sharpness twice the target
 * // the LR goes up by the largest allowed step (×1.1), pulling the edge 2/η down
 * assertClose(c.factor, 1.1, 1e-12);
 * ```
 * @module
 */

/** Settings of the controller. */
export interface SpectralLrOptions {
  /** Target λ_max. */
  target: number;
  /** EMA factor a in [0, 1]. */
  ema: number;
  /** Largest relative change of the factor per measurement. */
  maxChange: number;
  /** Exponent on ema/target. */
  gain: number;
  /** Smallest LR factor. */
  minFactor: number;
  /** Largest LR factor. */
  maxFactor: number;
  /**
   * `edge` (default): the law above. `seed`: the seed code's rule, literally:
   * factor ×0.9 when the EMA exceeds 1.1 × target, else unchanged (clamped).
   */
  law?: "edge" | "seed";
}

/** The controller; state is `factor` and `emaValue`. */
export class SpectralEdgeAwareLR {
  /** Current LR multiplier. */
  factor = 1;
  /** Current EMA of λ_max (null before the first measurement). */
  emaValue: number | null = null;

  /** Creates the controller. */
  constructor(readonly options: SpectralLrOptions) {}

  /** Feeds one λ_max measurement; updates and returns the LR factor. */
  observe(lambdaMax: number): number {
    if (!Number.isFinite(lambdaMax)) return this.factor;
    const a = this.options.ema;
    this.emaValue = this.emaValue === null ? lambdaMax : a * this.emaValue + (1 - a) * lambdaMax;
    if (this.options.law === "seed") {
      if (this.emaValue > 1.1 * this.options.target) {
        this.factor = Math.min(
          this.options.maxFactor,
          Math.max(this.options.minFactor, this.factor * 0.9),
        );
      }
      return this.factor;
    }
    const m = this.options.maxChange;
    const raw = Math.pow(this.emaValue / this.options.target, this.options.gain);
    const next = this.factor * Math.min(1 + m, Math.max(1 - m, raw));
    this.factor = Math.min(this.options.maxFactor, Math.max(this.options.minFactor, next));
    return this.factor;
  }
}
