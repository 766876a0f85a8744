/**
 * `SpectralEdgeAwareLR` (SPEC §8): multiplies the learning rate down or up so
 * that an EMA of the measured sharpness stays near a target, with a bounded
 * relative change per measurement:
 *
 *   ema ← a·ema + (1 − a)·λ_max,   factor ← factor · clip((target/ema)^gain, 1 − m, 1 + m)
 *
 * @example
 * ```ts
 * import { SpectralEdgeAwareLR } from "./spectral_lr.ts";
 * const c = new SpectralEdgeAwareLR({ target: 5, ema: 0.5, maxChange: 0.1, gain: 1 });
 * c.observe(10); // sharpness twice the target
 * c.factor; // 0.9: the LR comes down by the largest allowed step
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
  /** Exponent on target/ema. */
  gain: number;
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
    const m = this.options.maxChange;
    const raw = Math.pow(this.options.target / Math.max(this.emaValue, 1e-300), this.options.gain);
    this.factor *= Math.min(1 + m, Math.max(1 - m, raw));
    return this.factor;
  }
}
