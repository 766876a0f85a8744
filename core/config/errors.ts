/**
 * Config errors: every message names the file, the field path, what was
 * expected and what was found, e.g.
 * `experiments/eos.ts: optimizer.lr: expected a number > 0, got -0.1`.
 * @module
 */
import type { z } from "zod";

/** A user-facing configuration error (exit code 2, no stack trace). */
export class ConfigError extends Error {
  /** Creates the error from one or more `file: path: message` lines. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Renders a value briefly for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing (field missing)";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  return typeof v;
}

/** Gets the value at a path inside an object (for "got ..." in messages). */
function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Joins a path as `a.b[2].c` (or `(top level)`). */
export function formatPath(path: PropertyKey[]): string {
  let s = "";
  for (const k of path) {
    if (typeof k === "number") s += `[${k}]`;
    else s += s === "" ? String(k) : `.${String(k)}`;
  }
  return s === "" ? "(top level)" : s;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = formatPath(issue.path);
  const got = describeValue(valueAt(input, issue.path));
  switch (issue.code) {
    case "invalid_type":
      if (valueAt(input, issue.path) === undefined) {
        return [`${path}: required field missing (expected ${issue.expected})`];
      }
      return [`${path}: expected ${issue.expected}, got ${got}`];
    case "too_small": {
      const op = issue.inclusive ? "≥" : ">";
      if (issue.origin === "array") {
        return [`${path}: expected a list with at least ${issue.minimum} item(s), got ${got}`];
      }
      if (issue.origin === "string") {
        return [`${path}: expected a non-empty string, got ${got}`];
      }
      const what = Number(issue.minimum) === 0 && !issue.inclusive
        ? "a positive number"
        : `a number ${op} ${issue.minimum}`;
      return [`${path}: expected ${what}, got ${got}`];
    }
    case "too_big": {
      const op = issue.inclusive ? "≤" : "<";
      if (issue.origin === "array") {
        return [`${path}: expected a list with at most ${issue.maximum} item(s), got ${got}`];
      }
      return [`${path}: expected a number ${op} ${issue.maximum}, got ${got}`];
    }
    case "invalid_value":
      return [
        `${path}: expected one of ${
          issue.values.map((v) => JSON.stringify(v)).join(" | ")
        }, got ${got}`,
      ];
    case "unrecognized_keys":
      return issue.keys.map((k) => {
        const p = formatPath([...issue.path, k]);
        return `${p}: unknown field (check the spelling; allowed fields are in the JSON Schema from \`deno task schema\`)`;
      });
    case "invalid_union": {
      const disc = (issue as unknown as { discriminator?: string }).discriminator;
      if (disc) {
        const full = issue.path[issue.path.length - 1] === disc
          ? issue.path
          : [...issue.path, disc];
        const p = formatPath(full);
        return [
          `${p}: ${issue.message.replace(/^Invalid input: /, "")}, got ${
            describeValue(valueAt(input, full))
          }`,
        ];
      }
      // report the branch with the fewest issues
      const branches = issue.errors.filter((e) => e.length > 0).sort((a, b) => a.length - b.length);
      // (branch issue paths are relative to the union: prefix the union's own path)
      if (branches.length > 0) {
        return branches[0].flatMap((i) =>
          describeIssue({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, input)
        );
      }
      return [`${path}: ${issue.message}, got ${got}`];
    }
    case "invalid_format":
      return [`${path}: expected ${issue.format}, got ${got}`];
    default:
      return [`${path}: ${issue.message}, got ${got}`];
  }
}

/** Converts a zod error into a ConfigError whose lines name `file` and each field. */
export function configErrorFromZod(file: string, err: z.ZodError, input: unknown): ConfigError {
  const lines = err.issues.flatMap((i) => describeIssue(i, input)).map((l) => `${file}: ${l}`);
  return new ConfigError([...new Set(lines)].join("\n"));
}
