/**
 * A Deno worker that runs training runs for the suite (`--jobs N`): one TF.js
 * instance per worker, messages in and out.
 * @module
 */
/// <reference lib="deno.worker" />
import { type BackendName, setupBackend } from "../backend.ts";
import { trainRun } from "./loop.ts";

self.onmessage = async (ev: MessageEvent) => {
  const m = ev.data;
  if (m.type !== "run") return;
  try {
    const backend = await setupBackend(m.backend as BackendName);
    let last = 0;
    const summary = await trainRun(m.plan, {
      runDir: m.runDir,
      backend,
      dataDir: m.dataDir,
      git: m.git,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last > 200 || p.step === p.steps) {
          last = now;
          self.postMessage({ type: "progress", progress: p });
        }
      },
    });
    self.postMessage({ type: "done", summary });
  } catch (e) {
    self.postMessage({ type: "error", message: String((e as Error)?.message ?? e).split("\n")[0] });
  }
};
