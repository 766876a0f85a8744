/**
 * `merge DIR… --out DIR`: joins shard directories (`bench --shard I/N`) and
 * re-verifies the checks of the merged set.
 *
 * @example
 * ```ts
 * import { mergeCommand } from "./merge.ts";
 * import { captureIO, writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/s1`, { runFilter: (id) => id.startsWith("eos_toy/") });
 * await writeFakeSuite(`${dir}/s2`, { runFilter: (id) => !id.startsWith("eos_toy/") });
 * const code = await mergeCommand([`${dir}/s1`, `${dir}/s2`, "--out", `${dir}/merged`], captureIO());
 * assertEquals(code, 0); // merged, then verified: every gating check of the fake suite is met
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Command, type CommandIO, consoleIO, runCommand, UsageError } from "./command.ts";
import { printVerdicts } from "./verdicts.ts";
import { mergeShards } from "../results/merge.ts";
import { verifyDir } from "../checks/verify.ts";

/** `merge`. */
export const merge: Command = {
  name: "merge",
  summary:
    "Joins shard directories into --out (refusing overlapping, inconsistent or empty shards), then verifies the checks. Exit codes as verify; 2 when a shard is refused.",
  args: "DIR…",
  options: {
    out: { type: "string", value: "DIR", help: "the merged results directory (required)" },
    force: { type: "boolean", default: false, help: "replace an existing, non-empty --out" },
  },
  async run({ values, positionals }, io) {
    if (!values.out || positionals.length === 0) {
      throw new UsageError("need at least one shard directory and --out");
    }
    const s = await mergeShards(positionals, values.out as string, {
      force: values.force as boolean,
    });
    io.out(
      `merged ${positionals.length} shard(s): ${s.runs} run(s) in ${s.experiments.length} experiment(s) → ${s.out}`,
    );
    return printVerdicts(await verifyDir(s.out), io);
  },
};

/** Runs `merge` with CLI arguments; returns the exit code. */
export async function mergeCommand(args: string[], io: CommandIO = consoleIO): Promise<number> {
  return await runCommand(merge, args, io);
}
