/**
 * How a session was proven, and when: the list in its `methods` column
 * (AAL and recent-authentication decisions read it). Free of server imports,
 * so the end-to-end support code can read the column the same way.
 */

// `totp` is only ever a second method, beside an email sign-in the policy escalated (lib/auth/step-up/sign-in-policy.ts).
const AUTH_METHODS = ["magic_link", "email_code", "passkey", "totp"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface MethodUse {
  method: AuthMethod;
  at: string;
}

/**
 * A session's `methods` column (JSON written by lib/auth/core/sessions.ts) as
 * the method uses it holds. Anything else in it is dropped, not trusted:
 * the list decides what a session may do (the policy reads it as proofs,
 * lib/auth/step-up/policy-context.ts), so an entry
 * that is not one of ours counts for nothing.
 */
export function parseMethodUses(json: string): MethodUse[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter(isMethodUse) : [];
}

function isMethodUse(value: unknown): value is MethodUse {
  if (typeof value !== "object" || value === null) return false;
  const { method, at } = value as Record<string, unknown>;
  return AUTH_METHODS.some((known) => known === method) && typeof at === "string" && !Number.isNaN(Date.parse(at));
}
