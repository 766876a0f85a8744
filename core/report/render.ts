/**
 * Rendering Vega-Lite specs to deterministic SVG (vega View with renderer
 * "none", no browser) and SVG to PNG with `@resvg/resvg-wasm` and the DejaVu
 * Sans font shipped in the `dejavu-fonts-ttf` npm package (wasm loads no
 * system fonts).
 *
 * @example
 * ```ts
 * import { renderSvg, svgToPng } from "./render.ts";
 * import { assertEquals, assertOk } from "../../tests/assert.ts";
 * const svg = await renderSvg({
 *   data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
 *   mark: "line",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * const png = await svgToPng(svg);
 * assertOk(svg.startsWith("<svg"));
 * assertEquals(png.slice(1, 4), new TextEncoder().encode("PNG")); // the PNG signature
 * ```
 * @module
 */
import { createRequire } from "node:module";
import * as vega from "vega";
import * as vl from "vega-lite";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
// A static reference so Deno installs the font package with the others.
import fontPackage from "dejavu-fonts-ttf/package.json" with { type: "json" };

/** The font family used in every plot (shipped, so PNGs look the same everywhere). */
export const FONT_FAMILY = "DejaVu Sans";

/** Version of the font package (shown in the report). */
export const FONT_PACKAGE = `dejavu-fonts-ttf@${fontPackage.version}`;

/** A Vega-Lite spec as a plain object. */
export type VlSpec = Record<string, unknown>;

/** One plot of the report: a named, captioned Vega-Lite spec. */
export interface Plot {
  /** File stem, e.g. `eos_toy.sharpness`. */
  name: string;
  /** Title shown in the index. */
  title: string;
  /** One-line caption (what is drawn, how). */
  caption: string;
  /** The Vega-Lite spec. */
  spec: VlSpec;
}

/**
 * Renumbers vega's process-global element ids (`clip1`, `gradient_3`, …) in
 * order of first appearance, so identical plots give identical bytes whatever
 * was rendered before in the same process.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(
 *   normalizeSvgIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>'),
 *   '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>',
 * );
 * ```
 */
export function normalizeSvgIds(svg: string): string {
  const map = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="([A-Za-z_-]*?)(\d+)"/g)) {
    const id = m[1] + m[2];
    if (map.has(id)) continue;
    const n = (counters.get(m[1]) ?? 0) + 1;
    counters.set(m[1], n);
    map.set(id, `${m[1]}${n}`);
  }
  if (map.size === 0) return svg;
  return svg.replace(
    /(\sid="|url\(#|href="#)([A-Za-z_-]*?\d+)(?=[")])/g,
    (all, pre: string, id: string) => (map.has(id) ? pre + map.get(id) : all),
  );
}

/** Renders a Vega-Lite spec to a deterministic SVG string. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return normalizeSvgIds(svg);
  } finally {
    view.finalize();
  }
}

let ready: Promise<Uint8Array[]> | null = null;

function fontsAndWasm(): Promise<Uint8Array[]> {
  if (!ready) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const wasm = await Deno.readFile(
        require.resolve("@resvg/resvg-wasm/index_bg.wasm"),
      );
      await initWasm(wasm);
      const fonts: Uint8Array[] = [];
      for (const f of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
        fonts.push(
          await Deno.readFile(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)),
        );
      }
      return fonts;
    })();
    ready.catch(() => (ready = null));
  }
  return ready;
}

/** Renders an SVG to PNG (scale 2, white background) with the shipped font. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const fonts = await fontsAndWasm();
  const r = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: {
      fontBuffers: fonts,
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  const img = r.render();
  const png = img.asPng();
  img.free();
  r.free();
  return png;
}

/** Common Vega-Lite config: shipped font, readable sizes, white background. */
export const PLOT_CONFIG = {
  font: FONT_FAMILY,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e4e4e4" },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    labelLimit: 360,
    symbolStrokeWidth: 2,
  },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 400 },
  title: {
    fontSize: 14,
    anchor: "start",
    subtitleFontSize: 11,
    subtitleColor: "#555",
  },
  view: { stroke: "#bbb" },
  line: { strokeWidth: 1.6 },
};
