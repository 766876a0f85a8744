/**
 * `schema`: writes the experiment JSON Schema (for editors).
 *
 * @example
 * ```ts
 * import { schema } from "./schema.ts";
 * import { runCommand } from "./command.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * assertEquals(await runCommand(schema, ["--out", `${dir}/experiment.schema.json`], captureIO()), 0);
 * const written = JSON.parse(await Deno.readTextFile(`${dir}/experiment.schema.json`));
 * assertEquals(written.additionalProperties, false); // unknown fields are flagged in editors
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Command, UsageError } from "./command.ts";

/** `schema`. */
export const schema: Command = {
  name: "schema",
  summary: "Writes the JSON Schema of experiment files, so editors complete and check them.",
  args: "",
  options: {
    out: {
      type: "string",
      value: "FILE",
      default: "experiments/experiment.schema.json",
      help: "where to write it",
    },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const { experimentJsonSchema } = await import("../config/json_schema.ts");
    const { writeTextAtomic } = await import("../results/atomic.ts");
    await writeTextAtomic(
      values.out as string,
      JSON.stringify(experimentJsonSchema(), null, 2) + "\n",
    );
    io.out(`wrote ${values.out}`);
    return 0;
  },
};
