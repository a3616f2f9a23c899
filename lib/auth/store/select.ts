import { databaseProvider, type Db } from "../../db/client";
import { sqlAuthStore } from "../../db/hot-path/auth-store";
import { prismaAuthStore } from "./prisma";
import type { AuthStore } from "./types";

export type AuthStoreKind = "sql" | "prisma";

/** The store the ceremonies use, as AUTH_STORE chooses (lib/env.ts): both pass store-contract.test.ts. */
export function authStoreFor(db: Db, kind: AuthStoreKind): AuthStore {
  return kind === "sql" ? sqlAuthStore(db) : prismaAuthStore(db, databaseProvider(db));
}
