"use client";

import { useState } from "react";
import type { ErrorCode } from "@/lib/auth/core/errors";

/** Which proof the server asked for: an emailed code, or one of the account's passkeys. */
export type ReauthProof = "email" | "passkey";

/** The proof a refusal asks for, or null when the refusal is about something else. */
export function reauthProofFor(code: ErrorCode): ReauthProof | null {
  if (code === "REAUTH_REQUIRED") return "email";
  if (code === "PASSKEY_REAUTH_REQUIRED") return "passkey";
  return null;
}

/**
 * Remembers the action that answered REAUTH_REQUIRED or
 * PASSKEY_REAUTH_REQUIRED, so that once the person confirms (an emailed
 * code, or a passkey when the account has one) the same action simply runs
 * again (and now passes). Render <ConfirmItsYou> while `required` is true.
 */
export function useReauth() {
  const [pending, setPending] = useState<{ proof: ReauthProof; retry: () => void } | null>(null);
  return {
    required: pending !== null,
    proof: pending?.proof ?? "email",
    /** Shows the confirmation step; `retry` runs after a successful proof. */
    require(retry: () => void, proof: ReauthProof = "email"): void {
      setPending({ proof, retry });
    },
    confirmed(): void {
      const retry = pending?.retry;
      setPending(null);
      retry?.();
    },
    cancel(): void {
      setPending(null);
    },
  };
}
