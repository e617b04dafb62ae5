import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/** The Flask app serves this build: index.html for every client route, /assets/* as immutable. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../backend/dagkeeper/api/static",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    chunkSizeWarningLimit: 600,
  },
  worker: { format: "es" },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8089",
      "/ui": "http://127.0.0.1:8089",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
