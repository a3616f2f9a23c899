import { auth } from "../auth/core/auth-js";
import { parseMethodUses, type MethodUse } from "../auth/core/method-uses";

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
 * `auth()` (which resolves the cookie through our hashing adapter). Reading
 * writes nothing: a page cannot set cookies, so the idle window slides in
 * proxy.ts before the page renders, where the cookie can follow it
 * (page-session-refresh.ts).
 */
export async function currentSession(): Promise<SessionView | null> {
  const session = await auth();
  const user = session?.user;
  if (!session || !user?.id || !user.email) return null;
  return {
    user: { id: user.id, email: user.email },
    aal: session.aal,
    methods: parseMethodUses(session.methods),
    createdAt: session.createdAt ? new Date(session.createdAt) : null,
    expires: new Date(session.expires),
    device: session.device,
    country: session.country,
  };
}
