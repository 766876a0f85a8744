/**
 * `run FILE`: one experiment with overrides, then its checks; or, with
 * `--print-config`, the expanded runs and their resolved configs as JSON,
 * without running anything (like Hydra's `--cfg job`).
 *
 * @example
 * ```ts
 * import { run } from "./run.ts";
 * import { runCommand } from "./command.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // --print-config expands the sweep and prints the resolved configs; it runs nothing
 * const file = new URL("../../experiments/eos_chebyshev.ts", import.meta.url).pathname;
 * const io = captureIO();
 * assertEquals(await runCommand(run, [file, "--print-config", "--set", "optimizer.lr=0.3"], io), 0);
 * const { runs } = JSON.parse(io.stdout.join("\n"));
 * assertEquals(runs.map((r: { run: string }) => r.run), [
 *   "eos_chebyshev/lr=0.3,seed=1",
 *   "eos_chebyshev/lr=0.3,seed=2",
 *   "eos_chebyshev/lr=0.3,seed=3",
 * ]);
 * ```
 * @module
 */
import { type Command, UsageError } from "./command.ts";
import { SUITE_OPTIONS, suiteFlags, suiteOptionsOf } from "./suite_options.ts";
import { finishSuite } from "./bench.ts";

/** `run`. */
export const run: Command = {
  name: "run",
  summary:
    "Runs one experiment file (with --set overrides) into --out (default results/<name>), then evaluates its checks. Same exit codes as bench.",
  args: "FILE",
  options: {
    ...SUITE_OPTIONS,
    "print-config": {
      type: "boolean",
      default: false,
      help: "print the expanded runs and their resolved configs as JSON; run nothing",
    },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError("expected one experiment FILE");
    const flags = suiteFlags(args);
    const file = args.positionals[0];
    const { parseShard, planSuite, runSuite, shardPlans } = await import("../train/suite.ts");
    if (args.values["print-config"]) {
      const { plans } = await planSuite([file], flags.profile, flags.sets, false);
      const mine = shardPlans(plans, flags.shard ? parseShard(flags.shard) : undefined);
      io.out(JSON.stringify(
        { runs: mine.map((p) => ({ run: p.runId, dir: p.dirName, config: p.config })) },
        null,
        2,
      ));
      return 0;
    }
    const name = file.replace(/^.*\//, "").replace(/\.(ts|json)$/, "");
    const out = flags.out ?? `results/${name}`;
    const result = await runSuite(suiteOptionsOf(flags, [file], out, name), false);
    return await finishSuite(out, result.verify, io, {
      report: false,
      compare: false,
      quiet: flags.quiet,
    });
  },
};
