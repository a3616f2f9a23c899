import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Mirrors tsconfig's `@/*` path.
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    // e2e/ holds Playwright specs; .next/ holds build output.
    exclude: ["**/node_modules/**", "e2e/**", ".next/**"],
    // Tests that create and migrate a database need more than the default 5 s on a cold machine.
    testTimeout: 30_000,
  },
});
