import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const NOT_THE_PRODUCT = { group: ["../product/*", "../../product/*", "../../../product/*", "@/lib/product*"], message: "lib/auth must not import the demo product (lib/product)." };
const NOT_THE_WIRING = { group: ["../server/*", "../../server/*", "../../../server/*", "@/lib/server*"], message: "lib/auth must not import the application's wiring (lib/server)." };
const NOT_A_CAPABILITY = { group: ["../magic-link/*", "../passkeys/*", "@/lib/auth/magic-link/*", "@/lib/auth/passkeys/*"], message: "lib/auth/core must not import a capability folder." };
const NOT_THE_DATABASE = {
  group: ["**/db/client", "**/db/hot-path/*", "**/lib/db", "@prisma/*", "**/generated/*", "**/store/prisma*", "**/store/select"],
  message: "A ceremony reaches the database only through the AuthStore it is handed (deps.store, lib/auth/store/types.ts).",
};
/** Files of lib/auth/core that build the wiring or talk to Auth.js's own Prisma adapter, and so may know the client. */
const CORE_WIRING = ["lib/auth/core/deps.ts", "lib/auth/core/server-deps.ts", "lib/auth/core/auth-config.ts", "lib/auth/core/auth-js.ts", "lib/auth/core/rate-limits.ts", "lib/auth/core/*.test.ts"];
/** `deps.db` is the Prisma client, kept for the application's own commands: a ceremony uses `deps.store`. */
const NO_DEPS_DB = {
  selector: "MemberExpression[object.name='deps'][property.name='db']",
  message: "A ceremony uses deps.store (lib/auth/store), never the Prisma client.",
};

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
      "no-restricted-imports": ["error", { patterns: [NOT_THE_PRODUCT, NOT_THE_WIRING] }],
    },
  },
  {
    // Ceremonies take their stores through typed interfaces (lib/auth/store):
    // never the Prisma client, the generated client or the hot path's SQL.
    // (files: later blocks replace earlier ones' rule, so each repeats the above.)
    files: ["lib/auth/magic-link/**", "lib/auth/passkeys/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [NOT_THE_PRODUCT, NOT_THE_WIRING, NOT_THE_DATABASE] }],
      "no-restricted-syntax": ["error", NO_DEPS_DB],
    },
  },
  {
    // The core sits below the capabilities: magic-link and passkeys build on
    // it, never the reverse.
    files: ["lib/auth/core/**"],
    ignores: CORE_WIRING,
    rules: {
      "no-restricted-imports": ["error", { patterns: [NOT_THE_PRODUCT, NOT_THE_WIRING, NOT_A_CAPABILITY, NOT_THE_DATABASE] }],
      "no-restricted-syntax": ["error", NO_DEPS_DB],
    },
  },
  {
    files: CORE_WIRING,
    rules: {
      "no-restricted-imports": ["error", { patterns: [NOT_THE_PRODUCT, NOT_THE_WIRING, NOT_A_CAPABILITY] }],
    },
  },
  globalIgnores([".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "**/*.tmp.mjs"]),
]);
