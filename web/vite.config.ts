/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The orchestrator `npm run dev` talks to (the Vite dev server proxies the API to it, so the UI and
// the API share an origin as they do when the orchestrator serves the built UI).
const orchestrator = process.env.DEFPI_ORCHESTRATOR ?? "http://127.0.0.1:8484";
// Every top-level path of the API, whole segments only (a prefix "/node" would take the dev
// server's own /node_modules/…); the dev server serves the rest, the UI itself.
const api = "^/(health|version|openapi\\.json|docs|status|login|logout|user|service|interface|process|connection"
  + "|node|nodepool|pendingchange|events)(/|\\?|$)";

export default defineConfig({
  plugins: [react()],
  build: {
    // Into the jar: the orchestrator serves index.html at / and assets/* at /assets/*.
    outDir: "target/classes/org/defpi/web",
    emptyOutDir: true,
    assetsDir: "assets",
    // Every script in a file of its own: the orchestrator's Content-Security-Policy forbids inline script.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { [api]: { target: orchestrator } },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
