/**
 * What the webgpu tests share: the adapter (null where none can be had), the
 * suffix that names it in each test's name, or says why the test is ignored,
 * and a runner for the reference scripts that must run in their own process
 * (a fresh TF.js with the webgpu backend).
 *
 * @example
 * ```ts
 * import { assertMatch } from "./assert.ts";
 * assertMatch(adapterSuffix, adapter ? /\[adapter: / : /IGNORED: no WebGPU adapter/);
 * ```
 * @module
 */
import { assertOk } from "./assert.ts";
import { webgpuAdapter } from "../core/backend.ts";

/** The WebGPU adapter's description, or null where no adapter can be had. */
export const adapter: string | null = await webgpuAdapter();

/** Appended to each webgpu test's name: the adapter, or why the test is ignored. */
export const adapterSuffix: string = adapter
  ? ` [adapter: ${adapter}]`
  : " (IGNORED: no WebGPU adapter on this machine; install mesa-vulkan-drivers for the software one)";

/**
 * Runs `tests/reference/<name>` in its own Deno process from the repository
 * root; fails with its stderr unless it exits 0, and returns its stdout lines.
 */
export async function runReferenceScript(name: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`./reference/${name}`, import.meta.url).pathname],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertOk(out.success, `${name} failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).trim().split("\n");
}
