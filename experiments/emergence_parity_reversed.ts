/**
 * Negative control of the frequency order of `emergence` (SPEC §7; issue
 * 14): the emergence_parity setting with Zipf exponent α = −1, so subtask i
 * is drawn with probability ∝ i (0.07 … 0.33): the rarest subtask is now
 * the first. If onsets follow frequency, they are in reverse index order and
 * ρ(index, onset) ≈ −1; the check (which ranks subtasks by index, i.e. by
 * frequency under α > 0) must fail.
 */
import { defineExperiment } from "../core/config/schema.ts";
import { PARITY_MEASURE, PARITY_MLP, PARITY_SGD, PARITY_TASK } from "./_emergence.ts";

export default defineExperiment({
  name: "emergence_parity_reversed",
  description:
    "control: emergence_parity with Zipf α = −1 (frequencies increase with the index): onsets in reverse index order",
  tags: ["emergence", "control"],
  task: { ...PARITY_TASK, alpha: -1 },
  model: PARITY_MLP,
  loss: "xent",
  optimizer: PARITY_SGD,
  budget: { steps: 1200 },
  sweep: { seed: [1] },
  measure: PARITY_MEASURE,
  checks: [
    {
      name: "emergence",
      expect: "fails",
      options: { criteria: ["learned", "order"], minLearned: 4 },
      note: "onsets follow frequency, not the index: rho = -1 for seeds 1, 2, 3 (2 and 3 by " +
        "--set seed; 5/5 learned, the rarest, subtask 1, last at t50 = 624/698/499)",
    },
  ],
});
