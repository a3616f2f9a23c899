import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // docs/architecture.md § Code conventions: type it.
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Only lib/env.ts reads process.env (docs/architecture.md § Code conventions); scripts, tests
    // and build configuration run outside the app and may read it directly.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/env.ts", "lib/**/*.test.ts", "lib/db/test-database.ts", "lib/auth/testing/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
  {
    // The layers (docs/architecture.md): pages and components reach data
    // only through lib/, never the database client itself.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*", "@prisma/*", "**/generated/*"], message: "Pages and components reach data through lib/, not the database client." },
          ],
        },
      ],
    },
  },
  {
    // The auth core does not know the demo product, nor the application
    // that registers both (lib/server): deleting lib/product needs no edit here.
    files: ["lib/auth/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["../product/*", "../../product/*", "../../../product/*", "@/lib/product*"], message: "lib/auth must not import the demo product (lib/product)." },
            { group: ["../server/*", "../../server/*", "../../../server/*", "@/lib/server*"], message: "lib/auth must not import the application's wiring (lib/server)." },
          ],
        },
      ],
    },
  },
  {
    // The core sits below the capabilities: magic-link and passkeys build on
    // it, never the reverse (files: later blocks replace earlier ones' rule).
    files: ["lib/auth/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["../product/*", "../../product/*", "../../../product/*", "@/lib/product*"], message: "lib/auth must not import the demo product (lib/product)." },
            { group: ["../server/*", "../../server/*", "../../../server/*", "@/lib/server*"], message: "lib/auth must not import the application's wiring (lib/server)." },
            { group: ["../magic-link/*", "../passkeys/*", "@/lib/auth/magic-link/*", "@/lib/auth/passkeys/*"], message: "lib/auth/core must not import a capability folder." },
          ],
        },
      ],
    },
  },
  globalIgnores([".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "**/*.tmp.mjs"]),
]);
