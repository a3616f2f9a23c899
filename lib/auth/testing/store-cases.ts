import type { AuthStoreKind } from "../store/select";
import { PROVIDERS } from "./harness";

/**
 * Every implementation of the auth store on every database: what a
 * contract suite (lib/auth/store/*-contract.test.ts) runs against.
 */
const IMPLEMENTATIONS: readonly AuthStoreKind[] = ["sql", "prisma"];
export const STORE_CASES = PROVIDERS.flatMap((provider) => IMPLEMENTATIONS.map((kind) => [provider, kind] as const));
