/**
 * phasebench as a library: define an experiment, run it, or verify training
 * curves that came from another framework.
 *
 * @example Define and run an experiment
 * ```ts
 * import { defineExperiment, runSuite } from "./mod.ts";
 * const exp = defineExperiment({
 *   name: "tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 100, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.2 },
 *   budget: { steps: 100 },
 * });
 * // write it to experiments/tiny.json, then:
 * // await runSuite({ files: ["experiments/tiny.json"], profile: "quick", sets: [], backend: "wasm",
 * //   out: "results/tiny", jobs: 1, force: false, quiet: true, suite: "tiny" });
 * ```
 *
 * @example Check curves from elsewhere
 * ```ts
 * import { getCheck, tableFromCsv } from "./mod.ts";
 * const metrics = tableFromCsv("step,lambda_max,lr,train_loss\n0,1,0.1,1\n", "pytorch.csv");
 * const out = getCheck("eos")!.evaluate({ experiment: "x", runs: [{ id: "x/1", status: "ok", info: {}, metrics }] }, {});
 * out[0].verdict; // "skip" or "fail": one point is not enough
 * ```
 * @module
 */
export { defineExperiment, type Experiment, type ExperimentInput } from "./core/config/schema.ts";
export { expandSweep, loadExperiment, resolveExperiment } from "./core/config/mod.ts";
export { type BackendName, setupBackend } from "./core/backend.ts";
export { deriveSeed, Rng, rngFor } from "./core/rng.ts";
export { runSuite, type SuiteOptions } from "./core/train/suite.ts";
export { type RunSummary, trainRun } from "./core/train/loop.ts";
export { verifyDir } from "./core/checks/verify.ts";
export { checkNames, evaluateExperimentChecks, getCheck } from "./core/checks/mod.ts";
export { curvesCommand } from "./core/commands/curves.ts";
export { readTable, Table, tableFromCsv } from "./core/results/table.ts";
export { loadSuite } from "./core/results/load.ts";
export { compareSuites, renderMarkdown } from "./core/compare/mod.ts";
export { writeReport } from "./core/report/mod.ts";
export { buildModel } from "./core/nn/mod.ts";
export { makeOptimizer, scheduleLr } from "./core/optim/mod.ts";
export * as spectral from "./core/spectral/mod.ts";
export { diagnosePhases, SpectralEdgeAwareLR, SpectralEdgeStopping } from "./core/control/mod.ts";
export { loadTask } from "./data/mod.ts";
