import { auth } from "./auth-js";
import { parseMethodUses, type MethodUse } from "./method-uses";

export interface SessionView {
  user: { id: string; email: string };
  aal: number;
  methods: MethodUse[];
  createdAt: Date | null;
  expires: Date;
  /** "mobile: Chrome · Android" */
  device: string;
  country: string | null;
}

/**
 * The signed-in user and their session for a page, read through Auth.js's
 * `auth()` (which resolves the cookie through our hashing adapter).
 */
export async function currentSession(): Promise<SessionView | null> {
  const session = (await auth()) as unknown as {
    user?: { id: string; email: string };
    aal?: number;
    methods?: string;
    createdAt?: string | Date | null;
    expires: string;
    device?: string;
    country?: string | null;
  } | null;
  if (!session?.user) return null;
  return {
    user: session.user,
    aal: session.aal ?? 1,
    methods: parseMethodUses(session.methods ?? "[]"),
    createdAt: session.createdAt ? new Date(session.createdAt) : null,
    expires: new Date(session.expires),
    device: session.device ?? "unknown",
    country: session.country ?? null,
  };
}
