/**
 * `curves FILE.csv --check NAME[,NAME]`: runs theory checks on long-format
 * curves from any framework (one row per run and step).
 *
 * @example
 * ```ts
 * import { curves } from "./curves.ts";
 * import { runCommand } from "./command.ts";
 * await runCommand(curves, ["ladder.csv", "--check", "collapse", "--params", "N"]);
 * ```
 * @module
 */
import type { Command, ParsedArgs } from "./command.ts";

/** The parsed options back as arguments (for the checks module's own entry point). */
function argv({ values, positionals }: ParsedArgs): string[] {
  const out = [...positionals];
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === false) continue;
    if (v === true) out.push(`--${k}`);
    else for (const x of Array.isArray(v) ? v : [v]) out.push(`--${k}`, x);
  }
  return out;
}

/** `curves`. */
export const curves: Command = {
  name: "curves",
  summary:
    "Runs theory checks on long-format curves (one row per run and step) logged by any framework. Exit 0 = every check passes; 1 = one fails or is skipped; 2 = bad input or usage (file:line).",
  args: "FILE.csv",
  options: {
    check: { type: "string", value: "NAME[,NAME]", help: "the checks to run (required)" },
    params: { type: "string", value: "COL", help: "model-size column (default n_params)" },
    seed: { type: "string", value: "COL", help: "seed column (default seed)" },
    step: { type: "string", value: "COL", help: "step column" },
    compute: { type: "string", value: "COL", help: "compute column (needed to fit L0)" },
    loss: { type: "string", value: "COL", help: "loss column (default loss)" },
    lr: { type: "string", value: "COL", help: "learning-rate column" },
    where: { type: "string", value: "COL=VALUE", multiple: true, help: "keep matching rows only" },
    l0: { type: "string", value: "VALUE", help: "use this L̂ instead of fitting L0" },
    json: { type: "boolean", default: false, help: "one JSON object" },
    report: {
      type: "string",
      value: "DIR",
      help: "also draw the collapse figure and loss curves (SVG + index.html) into DIR",
    },
  },
  async run(args) {
    const { curvesCommand } = await import("../checks/curves.ts");
    return await curvesCommand(argv(args));
  },
};
