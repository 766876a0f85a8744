/**
 * Bad experiment files: each gives exit 2, a message naming the file and the
 * field, and no results directory.
 */
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { runCli, tempDir, tinyExperiment, writeExperiment } from "./cli_helpers.ts";

const dir = tempDir();

function variant(name: string, edit: (e: Record<string, unknown>) => void): string {
  const e = tinyExperiment(name);
  edit(e);
  return writeExperiment(dir, e, name);
}

interface Case {
  what: string;
  file: () => string;
  extra?: string[];
  message: RegExp;
}

const cases: Case[] = [
  {
    what: "a field of the wrong type",
    file: () =>
      variant("wrong_type", (e) => ((e.optimizer as Record<string, unknown>).lr = "fast")),
    message: /wrong_type\.json: optimizer\.lr: expected number, got "fast"/,
  },
  {
    what: "an unknown field",
    file: () =>
      variant("unknown_field", (e) => ((e.optimizer as Record<string, unknown>).lrr = 0.1)),
    message: /unknown_field\.json: optimizer\.lrr: unknown field/,
  },
  {
    what: "a negative learning rate",
    file: () => variant("negative_lr", (e) => ((e.optimizer as Record<string, unknown>).lr = -0.1)),
    message: /negative_lr\.json: optimizer\.lr: expected a positive number, got -0\.1/,
  },
  {
    what: "an empty sweep",
    file: () => variant("empty_sweep", (e) => (e.sweep = { seed: [] })),
    message: /empty_sweep\.json: sweep\.seed: expected a list with at least 1 item/,
  },
  {
    what: "a --set path that does not exist",
    file: () => variant("bad_set", () => {}),
    extra: ["--set", "optimizer.lrr=0.3"],
    message: /optimizer\.lrr: unknown field.*--set optimizer\.lrr=0\.3/s,
  },
  {
    what: "a --set through a number",
    file: () => variant("bad_set_path", () => {}),
    extra: ["--set", "optimizer.lr.x=1"],
    message: /--set optimizer\.lr\.x=1: optimizer\.lr is number, not an object/,
  },
  {
    what: "a malformed --set",
    file: () => variant("bad_set_syntax", () => {}),
    extra: ["--set", "noequals"],
    message: /--set noequals: expected PATH=VALUE/,
  },
  {
    what: "a missing file",
    file: () => `${dir}/does_not_exist.json`,
    message: /does_not_exist\.json: file not found/,
  },
  {
    what: "a syntax error in a .ts experiment",
    file: () => {
      const p = `${dir}/broken_ts.ts`;
      Deno.writeTextFileSync(p, "export default {\n  name: 'broken_ts',,, \n");
      return p;
    },
    message: /broken_ts\.ts: cannot load the module/,
  },
  {
    what: "JSON with trailing garbage",
    file: () => {
      const p = `${dir}/trailing.json`;
      Deno.writeTextFileSync(p, JSON.stringify(tinyExperiment("trailing")) + "\n}garbage");
      return p;
    },
    message: /trailing\.json:2:\d+: invalid JSON/,
  },
  {
    what: "an unknown task kind",
    file: () => variant("bad_kind", (e) => (e.task = { kind: "mnist" })),
    message: /bad_kind\.json: task\.kind: .*got "mnist"/,
  },
  {
    what: "an activation not in the list",
    file: () =>
      variant("bad_enum", (e) => ((e.model as Record<string, unknown>).activation = "swish")),
    message: /bad_enum\.json: model\.activation: expected one of .*"tanh".*got "swish"/,
  },
  {
    what: "a required field missing",
    file: () => variant("missing_width", (e) => delete (e.model as Record<string, unknown>).width),
    message: /missing_width\.json: model\.width: required field missing/,
  },
  {
    what: "an unknown check name",
    file: () => variant("bad_check", (e) => (e.checks = [{ name: "eoss" }])),
    message: /bad_check\.json: checks\[0\]\.name: expected one of .*eos.*got "eoss"/,
  },
  {
    what: "a name that is not the file name",
    file: () => variant("name_mismatch", (e) => (e.name = "other_name")),
    message: /name_mismatch\.json: name: expected "name_mismatch"/,
  },
  {
    what: "a typo inside a profile",
    file: () => variant("bad_profile", (e) => (e.profiles = { quick: { "budget.stepz": 3 } })),
    message: /bad_profile\.json: budget\.stepz: unknown field/,
  },
  {
    what: "a model without an optimizer",
    file: () => variant("no_optimizer", (e) => delete e.optimizer),
    message: /no_optimizer\.json: optimizer: required field missing/,
  },
];

for (const c of cases) {
  Deno.test(`run rejects ${c.what} with exit 2 and a message naming the field`, async () => {
    const file = c.file();
    const out = `${dir}/out_${c.what.replace(/\W+/g, "_")}`;
    const r = await runCli([
      "run",
      file,
      "--out",
      out,
      "--quiet",
      "--backend",
      "cpu",
      ...(c.extra ?? []),
    ]);
    assertEquals(r.code, 2, `exit code; stderr: ${r.err}`);
    assertMatch(r.err, c.message);
    assertOk(!r.err.includes("    at "), `no stack trace: ${r.err}`);
    let created = true;
    try {
      Deno.statSync(out);
    } catch {
      created = false;
    }
    assertOk(!created, "no results directory is left behind");
  });
}

Deno.test("bench rejects an unknown backend and a bad shard with exit 2", async () => {
  const a = await runCli(["bench", "--backend", "tpu", "--quiet"]);
  assertEquals(a.code, 2);
  assertMatch(a.err, /--backend tpu: expected one of wasm, cpu, blas, webgpu, tensorflow/);
  const b = await runCli(["bench", "--shard", "3/2", "--quiet"]);
  assertEquals(b.code, 2);
  assertMatch(b.err, /--shard 3\/2: expected 1 ≤ I ≤ N/);
});
