/**
 * The suite runner: experiment files → runs (sweep, shard) → workers →
 * results directory → checks. Everything is validated before anything is
 * written; finished runs are skipped and unfinished ones resume from their
 * checkpoints unless `force`.
 *
 * @example
 * ```ts
 * import { runSuite } from "./suite.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/tiny.json`, JSON.stringify({
 *   name: "tiny",
 *   task: { kind: "chebyshev" },
 *   model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
 *   optimizer: { kind: "gd", lr: 0.1 },
 *   budget: { steps: 10 },
 *   sweep: { seed: [1, 2] },
 * }));
 * const result = await runSuite({
 *   files: [`${dir}/tiny.json`], profile: "quick", sets: [], backend: "cpu",
 *   out: `${dir}/out`, jobs: 1, force: false, quiet: true, suite: "tiny",
 * });
 * assertEquals(result.runs.map((r) => [r.runId, r.status]), [["tiny/seed=1", "ok"], ["tiny/seed=2", "ok"]]);
 * assertEquals(result.verify?.rows, []); // the experiment declares no checks
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { expandSweep, type Experiment, loadExperiment, type RunPlan } from "../config/mod.ts";
import { ConfigError } from "../config/errors.ts";
import { type BackendInfo, type BackendName, setupBackend } from "../backend.ts";
import { acquireLock } from "../results/lock.ts";
import { exists, removeIfExists, writeTextAtomic } from "../results/atomic.ts";
import { type RunRow, runsCsv } from "../results/runs_csv.ts";
import { type RunSummary, trainRun } from "./loop.ts";
import { verifyDir, type VerifyResult } from "../checks/verify.ts";
import { checkNames, getCheck } from "../checks/registry.ts";
import { checkOptionsProblem, matchesWhere } from "../checks/evaluate.ts";
import { semanticProblems } from "../config/semantics.ts";
import { createProgress } from "./progress.ts";
import { readExperimentRuns } from "../results/runs_csv.ts";
import { computeOptimalHorizon } from "../checks/compute_optimal_horizon.ts";
import { configHash } from "../config/sweep.ts";
import { parseNumberCell } from "../results/csv.ts";

/** Suite options (the CLI flags). */
export interface SuiteOptions {
  /** Experiment files to run. */
  files: string[];
  /** Profile. */
  profile: "quick" | "full";
  /** `--set` overrides (applied to every file). */
  sets: string[];
  /** Backend. */
  backend: BackendName;
  /** Output directory. */
  out: string;
  /** Parallel workers. */
  jobs: number;
  /** `--shard i/n` (1-based i). */
  shard?: { i: number; n: number };
  /** Re-run finished runs. */
  force: boolean;
  /** No progress output. */
  quiet: boolean;
  /** Data folder. */
  dataDir?: string;
  /** Suite name for the manifest. */
  suite: string;
  /**
   * Remove experiment folders of `out` that are not in this suite (e.g. of a
   * deleted experiment file) before running; `baseline` does, so the
   * reference holds exactly the suite.
   */
  prune?: boolean;
}

/** What a suite run produced. */
export interface SuiteResult {
  /** Summaries of every run in this output (run now or reused). */
  runs: RunSummary[];
  /** Check verdicts (empty when sharded: checks run after merge). */
  verify: VerifyResult | null;
}

/** Parses `i/n` into a shard. */
export function parseShard(text: string): { i: number; n: number } {
  const m = text.match(/^(\d+)\/(\d+)$/);
  if (!m) throw new ConfigError(`--shard ${text}: expected I/N, e.g. --shard 1/4`);
  const i = Number(m[1]), n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new ConfigError(`--shard ${text}: expected 1 ≤ I ≤ N`);
  return { i, n };
}

/**
 * The runs that shard `i/n` takes: every n-th run in run-id order, starting
 * at the i-th (all runs when no shard is given). Deterministic, so a CI
 * matrix or a Slurm job array splits a suite without overlap.
 *
 * @example
 * ```ts
 * import { shardPlans } from "./suite.ts";
 * import type { RunPlan } from "../config/sweep.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const plans = ["e/c", "e/a", "e/d", "e/b", "e/e"].map((runId) => ({ runId }) as RunPlan);
 * // shard 1/2 holds runs 0, 2, 4 of the sorted ids; shard 2/2 runs 1, 3
 * assertEquals(shardPlans(plans, { i: 1, n: 2 }).map((p) => p.runId), ["e/a", "e/c", "e/e"]);
 * assertEquals(shardPlans(plans, { i: 2, n: 2 }).map((p) => p.runId), ["e/b", "e/d"]);
 * ```
 */
export function shardPlans(plans: RunPlan[], shard?: { i: number; n: number }): RunPlan[] {
  if (!shard) return plans;
  const sorted = [...plans].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  return sorted.filter((_, k) => k % shard.n === shard.i - 1);
}

/** Loads and validates every file; returns experiments and their runs. */
export async function planSuite(
  files: string[],
  profile: "quick" | "full",
  sets: string[],
  respectProfiles: boolean,
): Promise<{ experiments: Experiment[]; plans: RunPlan[] }> {
  const experiments: Experiment[] = [];
  const plans: RunPlan[] = [];
  const knownChecks = checkNames();
  const optionsProblem = (name: string, options: Record<string, unknown>) => {
    const check = getCheck(name);
    return check ? checkOptionsProblem(check, options) : null;
  };
  for (const file of files) {
    const exp = await loadExperiment(file, {
      profile,
      sets,
      knownChecks,
      checkOptionsProblem: optionsProblem,
    });
    if (respectProfiles && !exp.profilesIn.includes(profile)) continue;
    if (experiments.some((e) => e.name === exp.name)) {
      throw new ConfigError(`${file}: name: experiment "${exp.name}" is defined twice`);
    }
    experiments.push(exp);
    const mine = expandSweep(exp, file);
    for (const plan of mine) {
      const problems = semanticProblems(plan.config);
      if (problems.length > 0) {
        throw new ConfigError(
          `${file}: ${problems[0]}${mine.length > 1 ? ` (run ${plan.runId})` : ""}`,
        );
      }
    }
    plans.push(...mine);
    const b = exp.budget as { steps?: number };
    if (b.steps !== undefined && b.steps > 10_000_000) {
      console.error(
        `warning: ${file}: budget.steps = ${b.steps} (more than 1e7 steps: this will not finish in any reasonable time)`,
      );
    }
  }
  return { experiments, plans };
}

/** The source experiment named by `budget.computeOptimal.fitFrom`, if any. */
export function fitFromOf(exp: Experiment): string | null {
  const b = exp.budget;
  return "computeOptimal" in b && "fitFrom" in b.computeOptimal ? b.computeOptimal.fitFrom : null;
}

/**
 * Replaces `budget.computeOptimal.fitFrom` by the γ and κ (in steps) that the
 * compute_optimal_horizon fit gives on the source experiment's runs in `out`.
 * Returns the resolved plans, or a reason why γ could not be had.
 */
export async function resolveFitFrom(
  plans: RunPlan[],
  source: Experiment,
  out: string,
): Promise<RunPlan[] | string> {
  let runs;
  try {
    runs = await readExperimentRuns(`${out}/${source.name}`);
  } catch (e) {
    return `fitFrom ${source.name}: no results in ${out} (${(e as Error).message})`;
  }
  // the gated fit (not a negative control), on the runs its `where` selects
  const specs = source.checks.filter((c) => c.name === "compute_optimal_horizon");
  const spec = specs.find((c) => c.expect === "holds") ?? specs[0];
  const fit = computeOptimalHorizon(
    runs.filter((r) => matchesWhere(r.info, spec?.where)),
    spec?.options ?? {},
  );
  if ("reason" in fit) return `fitFrom ${source.name}: no horizon fit (${fit.reason})`;
  return plans.map((p) => {
    const config = structuredClone(p.config);
    const co = (config.budget as { computeOptimal: { kappaScale?: number; minSteps: number } })
      .computeOptimal;
    config.budget = {
      computeOptimal: {
        gamma: fit.gamma,
        kappa: fit.kappaSteps * (co.kappaScale ?? 1),
        minSteps: co.minSteps,
      },
    };
    const hash = configHash(config);
    return { ...p, config, hash, dirName: p.dirName.replace(/~[0-9a-f]{6}$/, `~${hash}`) };
  });
}

/** Whether a finished run with this config hash is already in `runDir`. */
async function finishedSummary(runDir: string, plan: RunPlan): Promise<RunSummary | null> {
  try {
    const m = JSON.parse(await Deno.readTextFile(`${runDir}/manifest.json`));
    if (m.config_hash !== plan.hash) return null;
    // a skipped run (e.g. absent data) is never reused: the data may be there now
    if (!["ok", "diverged"].includes(m.status)) return null;
    if (!(await exists(`${runDir}/metrics.csv`))) return null;
    return {
      runId: plan.runId,
      status: m.status,
      reason: m.reason ?? "",
      steps: m.steps,
      nParams: m.n_params,
      final: m.final ?? {},
      wall: m.wall_seconds ?? {},
      resumed: false,
    };
  } catch {
    return null;
  }
}

/**
 * The git commit and dirty flag of the working directory, if any. Dirty means
 * the commit does not reproduce this run: tracked files changed, or one of
 * `files` (the experiment files) is untracked, modified or outside the repository.
 */
export async function gitState(
  files: string[] = [],
): Promise<{ commit: string; dirty: boolean } | undefined> {
  try {
    const rev = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], stderr: "null" })
      .output();
    if (!rev.success) return undefined;
    const st = await new Deno.Command("git", {
      args: ["status", "--porcelain", "--untracked-files=no"],
      stderr: "null",
    }).output();
    let dirty = new TextDecoder().decode(st.stdout).trim() !== "";
    for (const f of files) {
      if (dirty) break;
      const tracked = await new Deno.Command("git", {
        args: ["ls-files", "--error-unmatch", "--", f],
        stdout: "null",
        stderr: "null",
      }).output();
      if (!tracked.success) dirty = true; // untracked, or outside the repository
    }
    return {
      commit: new TextDecoder().decode(rev.stdout).trim(),
      dirty,
    };
  } catch {
    return undefined;
  }
}

/**
 * The last row's losses and accuracies of a finished run's metrics.csv, read
 * as the training loop's `MetricsLog.last` gives them ("inf" is Infinity).
 */
function finalFromMetrics(text: string, file: string): Record<string, number | null> {
  const lines = text.trimEnd().split("\n");
  const header = lines[0].split(",");
  const last = lines[lines.length - 1].split(",");
  const get = (c: string) => {
    const j = header.indexOf(c);
    if (j < 0 || lines.length < 2) return null;
    return parseNumberCell(last[j] ?? "", file, lines.length, c);
  };
  return {
    train_loss: get("train_loss"),
    test_loss: get("test_loss"),
    train_acc: get("train_acc"),
    test_acc: get("test_acc"),
  };
}

/**
 * A rough relative cost of a run, to start the longest runs first when
 * several workers share a queue (longest-processing-time-first scheduling;
 * the order does not change any result file).
 */
export function estimatedCost(plan: RunPlan): number {
  const c = plan.config;
  if (c.task.kind === "powerlaw-curve") return 0;
  const b = c.budget;
  let steps: number;
  if ("steps" in b) steps = b.steps;
  else if ("gamma" in b.computeOptimal) {
    const m = c.model as
      | { width?: number; dModel?: number; depth?: number; blocks?: number }
      | undefined;
    const width = m?.width ?? m?.dModel ?? 64;
    const approxParams = width * width * Math.max(1, m?.depth ?? m?.blocks ?? 1);
    steps = Math.max(
      b.computeOptimal.minSteps,
      b.computeOptimal.kappa * Math.pow(approxParams, b.computeOptimal.gamma),
    );
  } else steps = b.computeOptimal.minSteps;
  const m = c.measure;
  const hvpPerStep = (m.sharpness ? 10 / (m.sharpness.every ?? m.every) : 0) +
    (m.preconditionedSharpness ? 10 / (m.preconditionedSharpness.every ?? m.every) : 0) +
    (m.trace ? 10 / (m.trace.every ?? m.every) : 0) +
    (m.density ? 30 / (m.density.every ?? m.every) : 0);
  return steps * (1 + 2 * hvpPerStep + (m.updateGram ? 0.5 : 0));
}

/** Runs plans in `jobs` Deno workers (or in-process for one job). */
async function executePlans(
  todo: { plan: RunPlan; runDir: string }[],
  opts: SuiteOptions,
  backend: BackendInfo,
  git: { commit: string; dirty: boolean } | undefined,
  onDone: (s: RunSummary) => void,
): Promise<void> {
  const progress = createProgress(opts.quiet, todo.length);
  const failed = (plan: RunPlan, e: unknown): RunSummary => ({
    runId: plan.runId,
    status: "failed",
    reason: String((e as Error)?.message ?? e).split("\n")[0],
    steps: 0,
    nParams: 0,
    final: {},
    wall: {},
    resumed: false,
  });
  if (opts.jobs <= 1 || todo.length <= 1) {
    for (const { plan, runDir } of todo) {
      progress.start(plan.runId);
      let s: RunSummary;
      try {
        s = await trainRun(plan, {
          runDir,
          backend,
          dataDir: opts.dataDir,
          git,
          onProgress: (p) => progress.update(p),
        });
      } catch (e) {
        s = failed(plan, e);
      }
      progress.finish(s);
      onDone(s);
    }
    progress.close();
    return;
  }
  // longest first, ties in plan order (stable sort)
  const queue = [...todo].sort((a, b) => estimatedCost(b.plan) - estimatedCost(a.plan));
  const workerUrl = new URL("./worker.ts", import.meta.url).href;
  const nWorkers = Math.min(opts.jobs, todo.length);
  await Promise.all(
    Array.from({ length: nWorkers }, async () => {
      const worker = new Worker(workerUrl, { type: "module" });
      try {
        while (queue.length > 0) {
          const { plan, runDir } = queue.shift()!;
          progress.start(plan.runId);
          const s = await new Promise<RunSummary>((resolve) => {
            worker.onmessage = (ev: MessageEvent) => {
              const m = ev.data;
              if (m.type === "progress") progress.update(m.progress);
              else if (m.type === "done") resolve(m.summary);
              else if (m.type === "error") resolve(failed(plan, m.message));
            };
            worker.onerror = (ev: ErrorEvent) => {
              ev.preventDefault();
              resolve(failed(plan, ev.message));
            };
            worker.postMessage({
              type: "run",
              plan,
              runDir,
              backend: opts.backend,
              dataDir: opts.dataDir,
              git,
            });
          });
          progress.finish(s);
          onDone(s);
        }
      } finally {
        worker.terminate();
      }
    }),
  );
  progress.close();
}

/**
 * Removes run folders of these experiments that no run of the plan (over all
 * shards) would write: results of an earlier config in the same `--out`,
 * which runs.csv would no longer list. Says which, unless quiet.
 */
async function removeStaleRuns(
  experiments: Experiment[],
  plans: RunPlan[],
  out: string,
  quiet: boolean,
): Promise<void> {
  const removed: string[] = [];
  // (a fitFrom experiment's folder names carry the hash of the resolved horizon: skipped)
  for (const exp of experiments.filter((e) => fitFromOf(e) === null)) {
    const keep = new Set(plans.filter((p) => p.experiment === exp.name).map((p) => p.dirName));
    const dir = `${out}/${exp.name}`;
    if (!(await exists(dir))) continue;
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && e.name.includes("~") && !keep.has(e.name)) {
        await removeIfExists(`${dir}/${e.name}`);
        removed.push(`${exp.name}/${e.name}`);
      }
    }
  }
  if (removed.length > 0 && !quiet) {
    console.log(
      `removed ${removed.length} run folder(s) of an earlier config in ${out}: ${
        removed.sort().join(", ")
      }`,
    );
  }
}

/** Removes experiment folders of `out` (those with experiment.json) that are not in `experiments`. */
async function pruneExperiments(
  experiments: Experiment[],
  out: string,
  quiet: boolean,
): Promise<void> {
  const keep = new Set(experiments.map((e) => e.name));
  const removed: string[] = [];
  if (!(await exists(out))) return;
  for await (const e of Deno.readDir(out)) {
    if (e.isDirectory && !keep.has(e.name) && (await exists(`${out}/${e.name}/experiment.json`))) {
      await removeIfExists(`${out}/${e.name}`);
      removed.push(e.name);
    }
  }
  if (removed.length > 0 && !quiet) {
    console.log(
      `removed ${removed.length} experiment folder(s) no longer in the suite: ${
        removed.sort().join(", ")
      }`,
    );
  }
}

/** Writes runs.csv of each experiment: every run of this output folder. */
async function writeRunsCsvs(
  experiments: Experiment[],
  plans: RunPlan[],
  summaries: Map<string, RunSummary>,
  out: string,
): Promise<void> {
  for (const exp of experiments) {
    const mine = plans.filter((p) => p.experiment === exp.name);
    if (mine.length === 0) continue;
    const rows: RunRow[] = mine.map((p) => {
      const s = summaries.get(p.runId)!;
      const o = p.config.optimizer;
      return {
        run: p.runId,
        dir: p.dirName,
        status: s.status,
        point: p.point,
        info: {
          seed: p.config.seed,
          lr: o?.lr ?? null,
          optimizer: o?.kind ?? null,
          beta1: o && "beta1" in o ? o.beta1 : null,
          batch_size: o && "batchSize" in o ? (o.batchSize ?? null) : null,
          n_params: s.nParams || null,
          schedule: p.config.schedule.kind,
          steps: s.steps,
          final_train_loss: s.final.train_loss ?? null,
          final_test_loss: s.final.test_loss ?? null,
          final_train_acc: s.final.train_acc ?? null,
          final_test_acc: s.final.test_acc ?? null,
          reason: s.reason,
        },
      };
    });
    await writeTextAtomic(
      `${out}/${exp.name}/runs.csv`,
      runsCsv(Object.keys(exp.sweep), rows),
    );
  }
}

/**
 * Runs a suite into `opts.out` and evaluates its checks (unless sharded).
 * Throws ConfigError/LockError/BackendError for bad input before writing.
 */
export async function runSuite(opts: SuiteOptions, respectProfiles = true): Promise<SuiteResult> {
  const started = new Date();
  const { experiments, plans: allPlans } = await planSuite(
    opts.files,
    opts.profile,
    opts.sets,
    respectProfiles,
  );
  const plans = shardPlans(allPlans, opts.shard);
  const backend = await setupBackend(opts.backend);
  const git = await gitState(opts.files);
  const lock = await acquireLock(opts.out);
  try {
    for (const exp of experiments) {
      await writeTextAtomic(
        `${opts.out}/${exp.name}/experiment.json`,
        JSON.stringify(exp, null, 2) + "\n",
      );
    }
    if (opts.prune) await pruneExperiments(experiments, opts.out, opts.quiet);
    await removeStaleRuns(experiments, allPlans, opts.out, opts.quiet);
    const summaries = new Map<string, RunSummary>();
    // experiments whose horizon comes from another experiment's fit run last
    const dependents = new Set(experiments.filter((e) => fitFromOf(e) !== null).map((e) => e.name));
    for (const exp of experiments) {
      const src = fitFromOf(exp);
      if (src !== null && !experiments.some((e) => e.name === src)) {
        throw new ConfigError(
          `${exp.name}: budget.computeOptimal.fitFrom: expected an experiment of this suite, got "${src}"`,
        );
      }
    }
    const phases = [
      plans.filter((p) => !dependents.has(p.experiment)),
      plans.filter((p) => dependents.has(p.experiment)),
    ];
    const finalPlans: RunPlan[] = [...phases[0]];
    for (let phase = 0; phase < 2; phase++) {
      let phasePlans = phases[phase];
      if (phase === 1) {
        const resolved: RunPlan[] = [];
        for (const exp of experiments.filter((e) => dependents.has(e.name))) {
          const mine = phasePlans.filter((p) => p.experiment === exp.name);
          const source = experiments.find((e) => e.name === fitFromOf(exp))!;
          const r = await resolveFitFrom(mine, source, opts.out);
          if (typeof r === "string") {
            for (const p of mine) {
              summaries.set(p.runId, {
                runId: p.runId,
                status: "failed",
                reason: r,
                steps: 0,
                nParams: 0,
                final: {},
                wall: {},
                resumed: false,
              });
            }
            finalPlans.push(...mine);
          } else {
            resolved.push(...r);
            finalPlans.push(...r);
          }
        }
        phasePlans = resolved;
      }
      const todo: { plan: RunPlan; runDir: string }[] = [];
      for (const plan of phasePlans) {
        const runDir = `${opts.out}/${plan.experiment}/${plan.dirName}`;
        if (opts.force) await removeIfExists(runDir);
        const done = opts.force ? null : await finishedSummary(runDir, plan);
        if (done) {
          const file = `${runDir}/metrics.csv`;
          done.final = finalFromMetrics(await Deno.readTextFile(file), file);
          summaries.set(plan.runId, done);
        } else {
          todo.push({ plan, runDir });
        }
      }
      const reused = phasePlans.length - todo.length;
      if (!opts.quiet && reused > 0) {
        console.log(`${reused} finished run(s) reused (--force re-runs them)`);
      }
      await executePlans(todo, opts, backend, git, (s) => summaries.set(s.runId, s));
      if (phase === 0) {
        // runs.csv of the sources, so that dependents can read them
        await writeRunsCsvs(
          experiments.filter((e) => !dependents.has(e.name)),
          phases[0],
          summaries,
          opts.out,
        );
      }
    }

    await writeRunsCsvs(experiments, finalPlans, summaries, opts.out);
    // checks.csv covers every experiment in the folder (earlier runs into the same
    // --out included); the verdicts returned (and so the exit code) are this suite's
    const verify = opts.shard
      ? null
      : await verifyDir(opts.out, undefined, true, experiments.map((e) => e.name));
    const manifest = {
      suite: opts.suite,
      profile: opts.profile,
      shard: opts.shard ? `${opts.shard.i}/${opts.shard.n}` : null,
      experiments: experiments.map((e) => e.name),
      runs: finalPlans.length,
      backend,
      git: git ?? null,
      sets: opts.sets,
      started: started.toISOString(),
      ended: new Date().toISOString(),
      wall_seconds: (Date.now() - started.getTime()) / 1000,
    };
    await writeTextAtomic(`${opts.out}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
    return { runs: [...summaries.values()], verify };
  } finally {
    await lock.release();
  }
}
