/**
 * phasebench as a library: define an experiment, run it, or verify training
 * curves that came from another framework.
 *
 * @example Define and run an experiment
 * ```ts
 * import { defineExperiment, loadSuite, runSuite } from "./mod.ts";
 * import { assertEquals } from "./tests/assert.ts";
 * const exp = defineExperiment({
 *   name: "tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.2 },
 *   budget: { steps: 20 },
 * });
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/tiny.json`, JSON.stringify(exp));
 * const { runs } = await runSuite({ files: [`${dir}/tiny.json`], profile: "quick", sets: [], backend: "cpu",
 *   out: `${dir}/results`, jobs: 1, force: false, quiet: true, suite: "tiny" });
 * assertEquals(runs.map((r) => [r.runId, r.status, r.steps]), [["tiny/base", "ok", 20]]);
 * const suite = await loadSuite(`${dir}/results`); // metrics.csv, runs.csv, manifests
 * assertEquals(suite.experiments[0].runs[0].metrics!.column("step").at(-1), 20);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @example Check curves from elsewhere
 * ```ts
 * import { getCheck, tableFromCsv } from "./mod.ts";
 * import { assertEquals } from "./tests/assert.ts";
 * // GD at η = 0.2: the sharpness rises, then hovers at the edge 2/η = 10
 * const rows = ["step,lr,train_loss,lambda_max"];
 * for (let s = 0; s <= 100; s++) rows.push(`${s},0.2,${1 / (1 + s)},${s < 20 ? 5 + s * 0.25 : 10}`);
 * const metrics = tableFromCsv(rows.join("\n"), "pytorch.csv");
 * const out = getCheck("eos")!.evaluate({ experiment: "x", runs: [{ id: "x/1", status: "ok", info: {}, metrics }] }, {});
 * assertEquals(out[0].verdict, "pass");
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
