import { handlers } from "@/lib/auth/core/auth-js";

// Auth.js's own endpoints (/api/auth/session, /api/auth/signout, ...). Our
// ceremonies do not go through them; OAuth providers added later would.
export const { GET, POST } = handlers;
