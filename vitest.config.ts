import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests that start loopback servers or browsers share ports and CPU on a 2-core machine.
    maxWorkers: 2,
  },
});
