/**
 * JSON Schema export of the experiment schema, so editors complete and check
 * experiment JSON files.
 *
 * @example
 * ```ts
 * import { experimentJsonSchema } from "./json_schema.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const schema = experimentJsonSchema();
 * assertEquals(schema.additionalProperties, false);
 * ```
 * @module
 */
import { z } from "zod";
import { ExperimentSchema } from "./schema.ts";

/** The experiment JSON Schema (draft 2020-12), describing the input form. */
export function experimentJsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(ExperimentSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return { ...s, title: "phasebench experiment", $id: "phasebench-experiment.schema.json" };
}
