/**
 * The module graph (like std's `lint:circular`): no import cycles, type-only
 * imports included, and the lower layers never import the ones that read
 * their output (data flows config → runner → CSV → checks → compare/report).
 */
import { assertEquals } from "./assert.ts";

const ROOT = new URL("../", import.meta.url).href;

/** Local module → the local modules it imports (code and type imports). */
async function localGraph(): Promise<Map<string, string[]>> {
  const g = new Map<string, string[]>();
  for (const entry of ["cli.ts", "mod.ts"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: new URL(ROOT).pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    for (const m of info.modules) {
      if (!m.specifier.startsWith(ROOT)) continue;
      const deps = new Set<string>();
      for (const d of m.dependencies ?? []) {
        for (const s of [d.code?.specifier, d.type?.specifier]) {
          if (s && s.startsWith(ROOT)) deps.add(s.slice(ROOT.length));
        }
      }
      g.set(m.specifier.slice(ROOT.length), [...deps].sort());
    }
  }
  return g;
}

/** Every cycle found by a depth-first search, as "a → b → a". */
function cycles(g: Map<string, string[]>): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (u: string) => {
    state.set(u, 1);
    stack.push(u);
    for (const v of g.get(u) ?? []) {
      if (!state.has(v)) visit(v);
      else if (state.get(v) === 1) found.push([...stack.slice(stack.indexOf(v)), v].join(" → "));
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const u of [...g.keys()].sort()) if (!state.has(u)) visit(u);
  return found;
}

const graph = await localGraph();

Deno.test("the module graph has no import cycles (type-only imports included)", () => {
  if (graph.size < 50) throw new Error(`deno info found only ${graph.size} local modules`);
  assertEquals(cycles(graph), []);
});

Deno.test("cycles() finds a type-only cycle in a toy graph (the test can fail)", () => {
  const toy = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", []]]);
  assertEquals(cycles(toy), ["a.ts → b.ts → c.ts → a.ts"]);
});

Deno.test("lower layers never import the layers that read their output", () => {
  // folder of core/ → folders it must not import
  const upstream = ["train", "checks", "compare", "report", "commands", "perf"];
  const forbidden: Record<string, string[]> = {
    config: upstream,
    nn: upstream,
    optim: upstream,
    spectral: upstream,
    results: upstream,
    control: upstream,
    data: upstream,
    checks: ["train", "compare", "report", "commands", "perf"],
    compare: ["train", "report", "commands", "perf"],
    report: ["train", "compare", "commands", "perf"],
  };
  const layerOf = (p: string) =>
    p.startsWith("core/") && p.split("/").length > 2 ? p.split("/")[1] : p.split("/")[0];
  const bad: string[] = [];
  for (const [from, deps] of graph) {
    for (const to of deps) {
      if ((forbidden[layerOf(from)] ?? []).includes(layerOf(to))) bad.push(`${from} → ${to}`);
    }
  }
  assertEquals(bad, []);
});
