/**
 * `verify DIR`: re-evaluates every check of a results directory from its
 * CSVs alone and rewrites its `checks.csv`.
 *
 * @example
 * ```ts
 * import { verify } from "./verify.ts";
 * import { runCommand } from "./command.ts";
 * import { captureIO, writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { checks: false });
 * const io = captureIO();
 * assertEquals(await runCommand(verify, [dir, "--json"], io), 0);
 * const { checks } = JSON.parse(io.stdout.join("\n"));
 * // the checks the fake experiments declare, re-evaluated from their CSVs
 * assertEquals(checks.map((c: { check: string }) => c.check), ["collapse", "grokking"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Command, UsageError } from "./command.ts";
import { printVerdicts } from "./verdicts.ts";
import { verifyDir } from "../checks/verify.ts";
import { exists } from "../results/atomic.ts";
import { CHECK_COLUMNS } from "../checks/types.ts";

/** `verify`. */
export const verify: Command = {
  name: "verify",
  summary:
    "Re-evaluates every check from the CSVs in DIR (rewrites DIR/checks.csv). Exit 0 = every gating check met; 1 = one was not met or skipped, or a run failed; 2 = unreadable input (file:line).",
  args: "DIR",
  options: { json: { type: "boolean", default: false, help: "one JSON object { checks: [...] }" } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("expected one results DIR");
    const dir = positionals[0];
    if (!(await exists(dir))) throw new UsageError(`${dir}: no such directory`);
    const r = await verifyDir(dir);
    if (!values.json) return printVerdicts(r, io);
    const checks = r.rows.map((c) => Object.fromEntries(CHECK_COLUMNS.map((k) => [k, c[k]])));
    io.out(JSON.stringify({ checks }, null, 2));
    return r.gatingFailures.length > 0 || r.failedRuns.length > 0 ? 1 : 0;
  },
};
