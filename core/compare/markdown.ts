/**
 * Markdown rendering of a {@linkcode Comparison}, ready for
 * `$GITHUB_STEP_SUMMARY`. The first line says whether the two result sets are
 * byte-identical.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./markdown.ts";
 * import { compareSuites } from "./diff.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertMatch, assertOk } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/a`);
 * await writeFakeSuite(`${dir}/b`);
 * const comparison = compareSuites(await loadSuite(`${dir}/a`), await loadSuite(`${dir}/b`));
 * const md = renderMarkdown(comparison);
 * assertOk(md.startsWith("**byte-identical**: "));
 * assertMatch(md, /Result: OK.* \(exit 0\)/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { formatNumber } from "../results/csv.ts";
import { type CheckDiff, type Comparison, exitCodeOf } from "./diff.ts";

const MAX_LIST = 20;

function esc(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(s: string): string {
  return "`" + s.replace(/`/g, "'") + "`";
}

function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return formatNumber(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3);
}

function delta(d: CheckDiff): string {
  const va = d.a?.value, vb = d.b?.value;
  if (va === null || va === undefined || vb === null || vb === undefined) {
    return "—";
  }
  if (!Number.isFinite(va) || !Number.isFinite(vb)) {
    return va === vb ? "0" : "—";
  }
  const diff = vb - va;
  if (diff === 0) return "0";
  const rel = va !== 0
    ? ` (${diff / Math.abs(va) >= 0 ? "+" : ""}${
      Number(((100 * diff) / Math.abs(va)).toPrecision(3))
    }%)`
    : "";
  return `${diff > 0 ? "+" : ""}${num(diff)}${rel}`;
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_LIST).map(code).join(", ");
  return items.length > MAX_LIST ? `${shown}, … (${items.length - MAX_LIST} more)` : shown;
}

/** The first line: whether A and B are byte-identical (and what was ignored). */
export function identityLine(c: Comparison): string {
  const ignoring = "ignoring timing.csv, report/ and the time/wall/git fields of manifests";
  if (c.identical) {
    return `**byte-identical**: ${code(c.a)} and ${code(c.b)} are byte-identical (${ignoring}).`;
  }
  const f = c.files;
  return `**not byte-identical**: ${code(c.a)} vs ${
    code(c.b)
  }: ${f.differing.length} file(s) differ, ` +
    `${f.onlyInA.length} only in A, ${f.onlyInB.length} only in B (${ignoring}).`;
}

/**
 * Renders the comparison as Markdown: identity line, verdict, gating reasons,
 * the checks table (verdict A → B and the statistic's change), metric drift
 * per experiment and run, and runs present on one side only.
 */
export function renderMarkdown(c: Comparison): string {
  const out: string[] = [identityLine(c), ""];
  out.push(`## phasebench compare: A = ${code(c.a)} → B = ${code(c.b)}`, "");
  const exit = exitCodeOf(c);
  if (exit === 0) {
    out.push(
      `**Result: OK** (exit 0): no gating check failed in B, no same-backend drift beyond rtol ${c.rtol}.`,
    );
  } else {
    out.push(
      `**Result: REGRESSION** (exit 1): ${c.gates.length} gating problem(s):`,
      "",
    );
    for (const g of c.gates.slice(0, 50)) out.push(`- ${esc(g)}`);
    if (c.gates.length > 50) out.push(`- … (${c.gates.length - 50} more)`);
  }
  out.push("");

  if (!c.identical) {
    const f = c.files;
    out.push("<details><summary>Files that differ</summary>", "");
    if (f.differing.length) out.push(`- differ: ${list(f.differing)}`);
    if (f.onlyInA.length) out.push(`- only in A: ${list(f.onlyInA)}`);
    if (f.onlyInB.length) out.push(`- only in B: ${list(f.onlyInB)}`);
    out.push("", "</details>", "");
  }

  out.push("### Checks", "");
  if (c.checks.length === 0) {
    out.push("No checks.csv rows on either side.", "");
  } else {
    const changed = c.checks.filter((d) => d.change !== "same" || d.gate);
    out.push(
      `${c.checks.length} check row(s); ${changed.length} changed or gating` +
        (changed.length < c.checks.length
          ? `, ${c.checks.length - changed.length} unchanged (listed below the table)`
          : "") +
        ".",
      "",
    );
    const rows = changed.length > 0 ? changed : [];
    if (rows.length > 0) {
      out.push(
        "| experiment | check | run | expect | verdict A → B | outcome A → B | statistic | value A → B | change | gate |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      );
      for (const d of rows) {
        const s = d.b ?? d.a!;
        out.push(
          `| ${esc(d.experiment)} | ${esc(d.check)} | ${esc(d.run)} | ${d.expect} | ` +
            `${d.a?.verdict ?? "—"} → ${d.b?.verdict ?? "—"} | ${d.a?.outcome ?? "—"} → ${
              d.b?.outcome ?? "—"
            } | ` +
            `${esc(s.statistic)} | ${num(d.a?.value)} → ${num(d.b?.value)} | ${delta(d)} | ` +
            `${d.gate ? "**gates**" : ""} |`,
        );
      }
      out.push("");
    }
    const same = c.checks.filter((d) => d.change === "same" && !d.gate);
    if (same.length > 0) {
      out.push("<details><summary>Unchanged checks</summary>", "");
      out.push(
        "| experiment | check | run | expect | verdict | outcome | statistic | value |",
      );
      out.push("| --- | --- | --- | --- | --- | --- | --- | --- |");
      for (const d of same) {
        out.push(
          `| ${esc(d.experiment)} | ${esc(d.check)} | ${esc(d.run)} | ${d.expect} | ${
            d.b!.verdict
          } | ` +
            `${d.b!.outcome} | ${esc(d.b!.statistic)} | ${num(d.b!.value)} |`,
        );
      }
      out.push("", "</details>", "");
    }
  }

  out.push("### Metrics", "");
  if (c.experiments.length === 0) {
    out.push("No experiments on either side.", "");
  }
  for (const e of c.experiments) {
    if (e.onlyIn) {
      const runs = e.onlyIn === "A" ? e.runsOnlyInA : e.runsOnlyInB;
      out.push(
        `#### ${e.name}`,
        "",
        `Experiment only in ${e.onlyIn} (${runs.length} run(s)).`,
        "",
      );
      continue;
    }
    const head = `#### ${e.name}`;
    if (
      e.runs.length === 0 && !e.configChanged && !e.runsOnlyInA.length &&
      !e.runsOnlyInB.length
    ) {
      out.push(head, "", `All ${e.unchangedRuns} run(s) unchanged.`, "");
      continue;
    }
    out.push(head, "");
    if (e.configChanged) out.push("- experiment.json changed.");
    if (e.runsOnlyInA.length) {
      out.push(`- runs only in A: ${list(e.runsOnlyInA)}`);
    }
    if (e.runsOnlyInB.length) {
      out.push(`- runs only in B: ${list(e.runsOnlyInB)}`);
    }
    out.push(
      `- ${e.unchangedRuns} run(s) unchanged, ${e.runs.length} changed.`,
    );
    for (const r of e.runs) {
      const be = r.sameBackend
        ? `backend ${r.backend.a}`
        : `backends ${r.backend.a} → ${r.backend.b} (different: reported, not gating)`;
      const notes: string[] = [be];
      if (r.status) notes.push(`status ${r.status.a} → ${r.status.b}`);
      if (r.dir) notes.push(`dir ${code(r.dir.a)} → ${code(r.dir.b)}`);
      if (r.stepsOnlyInA) notes.push(`${r.stepsOnlyInA} step(s) only in A`);
      if (r.stepsOnlyInB) notes.push(`${r.stepsOnlyInB} step(s) only in B`);
      if (r.eventsChanged) notes.push("events.csv changed");
      out.push(
        `- run ${code(r.id)}: ${notes.join("; ")}${r.gate ? " — **gates**" : ""}`,
      );
      const rc = Object.entries(r.runsCsv);
      if (rc.length > 0) {
        out.push(
          `  - runs.csv: ${
            rc.slice(0, 12).map(([k, [x, y]]) => `${k} ${x || "∅"} → ${y || "∅"}`).join(", ")
          }` +
            (rc.length > 12 ? `, … (${rc.length - 12} more)` : ""),
        );
      }
      if (r.columns.length > 0) {
        out.push("");
        out.push(
          "  | column | rows differing | max abs diff | max rel diff | first differing step | beyond rtol |",
        );
        out.push("  | --- | --- | --- | --- | --- | --- |");
        for (const col of r.columns) {
          if (col.onlyIn) {
            out.push(
              `  | ${esc(col.column)} | only in ${col.onlyIn} | — | — | — | yes |`,
            );
            continue;
          }
          const mm = col.mismatchedCells
            ? ` (${col.mismatchedCells} empty/non-finite mismatch)`
            : "";
          out.push(
            `  | ${esc(col.column)} | ${col.rowsDiffering}${mm} | ${num(col.maxAbs)} | ${
              num(col.maxRel)
            } | ` +
              `${col.firstStep ?? "—"} | ${col.beyondTolerance ? "yes" : "no"} |`,
          );
        }
        out.push("");
      }
    }
    out.push("");
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
