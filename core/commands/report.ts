/**
 * `report DIR`: SVG/PNG plots and an `index.html` of a results directory.
 *
 * @example
 * ```ts
 * import { reportCommand } from "./report.ts";
 * import { captureIO, writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { runFilter: (id) => id.startsWith("eos_toy/") });
 * assertEquals(await reportCommand([dir, "--no-png"], captureIO()), 0);
 * assertEquals((await Deno.stat(`${dir}/report/index.html`)).isFile, true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Command, type CommandIO, consoleIO, runCommand, UsageError } from "./command.ts";

/** `report`. */
export const report: Command = {
  name: "report",
  summary: "Writes plots (SVG, PNG) and index.html for the results in DIR (default DIR/report/).",
  args: "DIR",
  options: {
    out: { type: "string", value: "DIR", help: "where to write the report" },
    "no-png": { type: "boolean", default: false, help: "SVG only" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("expected one results directory");
    const { writeReport } = await import("../report/write.ts");
    const files = await writeReport(positionals[0], {
      out: values.out as string | undefined,
      png: !values["no-png"],
    });
    const n = files.filter((f) => f.endsWith(".svg")).length;
    io.out(`report: ${n} plot(s) → ${files[files.length - 1]}`);
    return 0;
  },
};

/** Runs `report` with CLI arguments; returns the exit code. */
export async function reportCommand(args: string[], io: CommandIO = consoleIO): Promise<number> {
  return await runCommand(report, args, io);
}
