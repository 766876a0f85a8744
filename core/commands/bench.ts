/**
 * `bench`: runs the suite (every file of `experiments/`), evaluates the
 * checks, writes the report and compares with `results/baseline/`.
 * `baseline` is the same with the reference settings (quick, wasm, forced,
 * into `results/baseline/`).
 *
 * @example
 * ```ts
 * import { bench } from "./bench.ts";
 * import { runCommand } from "./command.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // --list prints the runs a bench would do (from the repository root), running none
 * const io = captureIO();
 * assertEquals(await runCommand(bench, ["--only", "eos_chebyshev", "--list"], io), 0);
 * const lines = io.stdout.join("\n").split("\n");
 * assertEquals(lines[0], "eos_chebyshev/lr=0.3,seed=1");
 * assertEquals(lines.at(-1), "6 of 6 run(s)");
 * ```
 * @module
 */
import { type Command, type CommandIO, UsageError } from "./command.ts";
import { SUITE_OPTIONS, type SuiteFlags, suiteFlags, suiteOptionsOf } from "./suite_options.ts";
import { printVerdicts } from "./verdicts.ts";
import type { VerifyResult } from "../checks/verify.ts";

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^(${esc.split(",").join("|")})$`);
}

/** The experiment files of the suite, filtered by `--only`. */
async function suiteFiles(only?: string): Promise<string[]> {
  const { listExperimentFiles } = await import("../config/load.ts");
  let files = await listExperimentFiles("experiments");
  if (only) {
    const re = globToRegExp(only);
    files = files.filter((f) => re.test(f.replace(/^.*\//, "").replace(/\.(ts|json)$/, "")));
    if (files.length === 0) throw new UsageError(`--only ${only}: no experiment matches`);
  }
  return files;
}

/**
 * After a suite: verdicts, the results folder, the report and the comparison
 * with the baseline; returns the exit code (the verdicts' — a drift against
 * the baseline is shown, the gate on it is `compare`).
 */
export async function finishSuite(
  out: string,
  verify: VerifyResult | null,
  io: CommandIO,
  opts: { report: boolean; compare: boolean; quiet: boolean },
): Promise<number> {
  if (!verify) {
    io.out(`shard written to ${out}; checks run after \`deno task merge\``);
    return 0;
  }
  const code = printVerdicts(verify, io);
  io.out(`results: ${out}`);
  if (opts.report) {
    try {
      const { writeReport } = await import("../report/write.ts");
      const files = await writeReport(out);
      if (!opts.quiet) io.out(`report: ${files[files.length - 1]} (${files.length} files)`);
    } catch (e) {
      io.err(`report: not written (${(e as Error).message.split("\n")[0]})`);
    }
  }
  const { exists } = await import("../results/atomic.ts");
  if (opts.compare && out !== "results/baseline" && (await exists("results/baseline/checks.csv"))) {
    try {
      const { compareSuites } = await import("../compare/diff.ts");
      const { renderMarkdown } = await import("../compare/markdown.ts");
      const { loadSuite } = await import("../results/load.ts");
      const b = await loadSuite(out);
      // on the experiments this run has (`--only` runs part of the suite; a
      // lost shard is `compare`'s to gate, not this summary's)
      const names = new Set(b.experiments.map((e) => e.name));
      const base = await loadSuite("results/baseline");
      const a = {
        ...base,
        experiments: base.experiments.filter((e) => names.has(e.name)),
        checks: base.checks.filter((r) => names.has(r.experiment)),
        digests: Object.fromEntries(
          Object.entries(base.digests).filter(([f]) =>
            !f.includes("/") || names.has(f.split("/")[0])
          ),
        ),
      };
      const c = compareSuites(a, b, {});
      const part = a.experiments.length < base.experiments.length
        ? ` (on the ${a.experiments.length} of ${base.experiments.length} experiments this run has)`
        : "";
      io.out(`\n## compared with results/baseline${part}\n\n` + renderMarkdown(c));
    } catch (e) {
      io.err(`compare with results/baseline: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return code;
}

/** Runs the suite with validated flags into `out`. */
async function runBench(
  flags: SuiteFlags,
  files: string[],
  out: string,
  suite: string,
  io: CommandIO,
  after: { report: boolean; compare: boolean },
): Promise<number> {
  const { runSuite } = await import("../train/suite.ts");
  const t0 = performance.now();
  const result = await runSuite({
    ...suiteOptionsOf(flags, files, out, suite),
    prune: suite === "baseline",
  });
  if (!flags.quiet) {
    io.out(
      `suite wall time ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s, ${result.runs.length} runs`,
    );
  }
  return await finishSuite(out, result.verify, io, { ...after, quiet: flags.quiet });
}

/** Prints the runs a (sharded) suite would take, without running them. */
async function listRuns(flags: SuiteFlags, files: string[], io: CommandIO): Promise<number> {
  const { parseShard, planSuite, shardPlans } = await import("../train/suite.ts");
  const { plans } = await planSuite(files, flags.profile, flags.sets, true);
  const mine = shardPlans(plans, flags.shard ? parseShard(flags.shard) : undefined);
  for (const p of mine) io.out(p.runId);
  io.out(
    `${mine.length} of ${plans.length} run(s)${flags.shard ? ` in shard ${flags.shard}` : ""}`,
  );
  return 0;
}

/** `bench`. */
export const bench: Command = {
  name: "bench",
  summary:
    "Runs the suite (all of experiments/), verifies the theory checks, writes the report and compares with results/baseline/. Exit 0 = every gating check met its expectation; 1 = one was not met or skipped, or a run failed; 2 = bad input, usage or an I/O fault.",
  args: "",
  options: {
    only: { type: "string", value: "GLOB", help: "only experiments whose name matches (a,b*,…)" },
    ...SUITE_OPTIONS,
    list: {
      type: "boolean",
      default: false,
      help: "print the runs (of --shard I/N) without running them",
    },
    "no-report": { type: "boolean", default: false, help: "do not write the report" },
    "no-compare": { type: "boolean", default: false, help: "do not compare with results/baseline" },
  },
  async run(args, io) {
    if (args.positionals.length > 0) {
      throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    }
    const flags = suiteFlags(args);
    const files = await suiteFiles(args.values.only as string | undefined);
    if (args.values.list) return await listRuns(flags, files, io);
    return await runBench(flags, files, flags.out ?? "results/latest", "bench", io, {
      report: !args.values["no-report"],
      compare: !args.values["no-compare"],
    });
  },
};

/** `baseline`. */
export const baseline: Command = {
  name: "baseline",
  summary:
    "Re-records results/baseline/: the quick suite on wasm, forced, the reference for compare.",
  args: "",
  options: {
    jobs: SUITE_OPTIONS.jobs,
    quiet: SUITE_OPTIONS.quiet,
    "data-dir": SUITE_OPTIONS["data-dir"],
  },
  async run(args, io) {
    if (args.positionals.length > 0) {
      throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    }
    const flags = suiteFlags({
      values: {
        ...args.values,
        profile: "quick",
        backend: "wasm",
        force: true,
        set: [],
      },
      positionals: [],
    });
    return await runBench(flags, await suiteFiles(), "results/baseline", "baseline", io, {
      report: true,
      compare: false,
    });
  },
};
