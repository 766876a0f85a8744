/**
 * Which tests judge which sources in the mutation run (`deno task mutation`).
 *
 * Each group mutates a few source files (or line ranges of one, in Stryker's
 * `path:start-end` form) and kills mutants with the `deno test` files that
 * test those sources, so one mutant costs one short test command instead of
 * the whole suite. `filter` narrows a slow test file to the tests of that
 * group (passed to `deno test --filter`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const eos = MUTATION_GROUPS.find((g) => g.name === "checks/eos");
 * assertEquals(eos?.tests[0], "tests/checks_eos_test.ts");
 * ```
 * @module
 */

/** One Stryker run: the sources it mutates and the tests that judge them. */
export interface MutationGroup {
  /** Short name, used for the `--only` flag and the scratch files. */
  name: string;
  /** Stryker `mutate` patterns: a path, or `path:startLine-endLine`. */
  mutate: string[];
  /** The `deno test` files run against every mutant of the group. */
  tests: string[];
  /** Optional `deno test --filter` pattern narrowing `tests`. */
  filter?: string;
}

/** The fast tests of every check, for modules all checks share. */
const ALL_CHECK_TESTS = [
  "tests/checks_evaluate_test.ts",
  "tests/checks_eos_test.ts",
  "tests/mutation_checks_eos_test.ts",
  "tests/checks_grokking_test.ts",
  "tests/mutation_checks_grokking_test.ts",
  "tests/checks_schedule_test.ts",
  "tests/emergence_checks_test.ts",
  "tests/grokking_phase_test.ts",
  "tests/control_test.ts",
  "tests/mutation_checks_control_test.ts",
];

/**
 * The collapse groups' test filter: every test of the fast exact files (their
 * names start with `fn()` or a check name and a colon) and of
 * checks_collapse_test.ts except its four slowest (4–8 s each on an idle
 * machine: bootstrap fits of noisy 5-size ladders, "fit_l0 recovers/skips
 * with/fails when" and "collapse with a matched control"); the fast files and
 * the rest of that file judge the same code. (Deno's --filter regex has no
 * lookahead, hence the positive list.)
 */
const SLOW_COLLAPSE_TESTS_LEFT_OUT =
  "/^([A-Za-z0-9]+\\(\\)|collapse: |collapse with a control|collapseRatio|" +
  "supercollapse|fit_l0: |collapse_variance_scaling|compute_optimal_horizon|collapse leaves)/";

/** The groups of `core/checks/` and `core/spectral/`, in run order. */
export const MUTATION_GROUPS: MutationGroup[] = [
  {
    name: "checks/eos",
    mutate: [
      "core/checks/eos.ts",
      "core/checks/adaptive_eos.ts",
      "core/checks/progressive_sharpening.ts",
    ],
    tests: ["tests/checks_eos_test.ts", "tests/mutation_checks_eos_test.ts"],
  },
  {
    name: "checks/grokking",
    mutate: [
      "core/checks/grokking.ts",
      "core/checks/edge_precedes_grokking.ts",
      "core/checks/spectral_lr_control.ts",
    ],
    tests: [
      "tests/checks_grokking_test.ts",
      "tests/mutation_checks_grokking_test.ts",
      "tests/control_test.ts",
      "tests/mutation_checks_control_test.ts",
    ],
  },
  {
    name: "checks/grokking_phase",
    mutate: ["core/checks/grokking_phase.ts", "core/checks/grokking_time_scaling.ts"],
    tests: ["tests/grokking_phase_test.ts", "tests/mutation_checks_grokking_phase_test.ts"],
  },
  {
    name: "checks/emergence",
    mutate: ["core/checks/emergence.ts", "core/checks/edge_at_emergence.ts"],
    tests: ["tests/emergence_checks_test.ts", "tests/mutation_checks_emergence_test.ts"],
  },
  {
    name: "checks/schedule",
    mutate: ["core/checks/schedule_noise_model.ts"],
    tests: ["tests/checks_schedule_test.ts", "tests/mutation_checks_schedule_test.ts"],
  },
  {
    name: "checks/stats",
    mutate: ["core/checks/stats.ts"],
    tests: ["tests/checks_stats_test.ts", "tests/mutation_checks_stats_test.ts"],
  },
  {
    name: "checks/common",
    mutate: [
      "core/checks/common.ts",
      "core/checks/evaluate.ts",
      "core/checks/registry.ts",
      "core/checks/types.ts",
      "core/checks/summary.ts",
      "core/checks/verify.ts",
    ],
    // the fast exact tests first: with --fail-fast most mutants die in them
    tests: [
      "tests/mutation_checks_common_test.ts",
      "tests/mutation_checks_evaluate_test.ts",
      "tests/mutation_checks_verify_test.ts",
      ...ALL_CHECK_TESTS,
      "tests/commands_test.ts",
    ],
  },
  {
    name: "checks/horizon",
    mutate: ["core/checks/compute_optimal_horizon.ts"],
    tests: ["tests/mutation_checks_horizon_test.ts", "tests/checks_collapse_test.ts"],
    filter: "/compute_optimal_horizon|computeOptimalHorizon/",
  },
  {
    name: "checks/collapse_checks",
    mutate: ["core/checks/collapse_checks.ts"],
    tests: ["tests/mutation_checks_collapse_checks_test.ts", "tests/checks_collapse_test.ts"],
    filter: SLOW_COLLAPSE_TESTS_LEFT_OUT,
  },
  {
    name: "checks/collapse",
    mutate: ["core/checks/collapse.ts"],
    tests: [
      "tests/mutation_checks_collapse_test.ts",
      "tests/mutation_checks_collapse_checks_test.ts",
      "tests/mutation_checks_horizon_test.ts",
      "tests/checks_collapse_test.ts",
    ],
    filter: SLOW_COLLAPSE_TESTS_LEFT_OUT,
  },
  {
    name: "checks/curves",
    mutate: ["core/checks/curves.ts"],
    tests: ["tests/mutation_checks_curves_test.ts", "tests/checks_curves_test.ts"],
  },
  {
    name: "spectral/gram",
    mutate: ["core/spectral/gram_edge.ts"],
    tests: ["tests/spectral_gram_test.ts", "tests/mutation_spectral_gram_test.ts"],
  },
  {
    name: "spectral/lanczos",
    mutate: ["core/spectral/lanczos.ts", "core/spectral/power.ts"],
    tests: ["tests/mutation_spectral_lanczos_test.ts", "tests/spectral_lanczos_test.ts"],
  },
  {
    name: "spectral/eigen",
    mutate: ["core/spectral/vector.ts", "core/spectral/eigen.ts"],
    tests: [
      "tests/mutation_spectral_eigen_test.ts",
      "tests/spectral_lanczos_test.ts",
      "tests/spectral_gram_test.ts",
    ],
  },
  {
    name: "spectral/trace",
    mutate: ["core/spectral/hutchinson.ts", "core/spectral/slq.ts"],
    tests: ["tests/mutation_spectral_trace_test.ts", "tests/spectral_trace_test.ts"],
  },
  {
    name: "spectral/grad_noise",
    mutate: ["core/spectral/grad_noise.ts"],
    tests: [
      "tests/mutation_spectral_precond_noise_test.ts",
      "tests/spectral_precond_noise_test.ts",
    ],
    filter: "/gradientNoise|B·Tr|WelfordTrace/",
  },
  {
    name: "spectral/precond",
    mutate: ["core/spectral/precond.ts"],
    tests: [
      "tests/mutation_spectral_precond_noise_test.ts",
      "tests/spectral_precond_noise_test.ts",
    ],
    filter: "/preconditioned/",
  },
  {
    // the four dense float64 Hessian comparisons (4 s each) are left out: the
    // Lanczos tests on the same exact and finite-difference products stay;
    // the exact tests (named "hvp: …") run first
    name: "spectral/hvp",
    mutate: ["core/spectral/hvp.ts"],
    tests: ["tests/mutation_spectral_hvp_test.ts", "tests/spectral_hvp_test.ts"],
    filter:
      "/^(hvp: |the float64|flatGradient|lanczos\\(\\) on|makeHvp\\(fd\\)|makeHvp\\(\\) |linear regression|flatten)/",
  },
  {
    name: "spectral/measure",
    mutate: ["core/spectral/measure.ts"],
    tests: [
      "tests/mutation_spectral_measure_test.ts",
      "tests/spectral_measure_exact_test.ts",
      "tests/spectral_measure_test.ts",
    ],
  },
];
