/**
 * Experiment configuration: schema, loading, overrides, sweeps, JSON Schema.
 * @module
 */
export * from "./schema.ts";
export * from "./errors.ts";
export * from "./overrides.ts";
export * from "./load.ts";
export * from "./sweep.ts";
export * from "./json_schema.ts";
