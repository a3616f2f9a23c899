/** What went wrong on the browser's side of a ceremony: a key under `passkeyErrors`. */
export type BrowserProblem = "notAllowed" | "alreadyRegistered" | "unsupported" | "failed";

/**
 * Browsers report WebAuthn failures with a handful of DOMException names,
 * deliberately vague so a page cannot probe which credentials exist
 * (NotAllowedError covers "cancelled", "timed out" and "could not verify the
 * user"). @simplewebauthn/browser wraps them in a WebAuthnError whose `name`
 * is the original's. Returns null for an abort: a newer ceremony replaced
 * this one, or the person chose email instead. Nothing to show then.
 *
 * Apart from passkey-errors.ts (which translates it) so that the ceremony
 * code, loaded on demand, does not bring the translation runtime with it.
 */
export function browserProblemOf(error: unknown): BrowserProblem | null {
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "AbortError":
      return null;
    case "NotAllowedError":
      return "notAllowed";
    case "InvalidStateError":
      return "alreadyRegistered";
    case "NotSupportedError":
    case "ConstraintError":
      return "unsupported";
    default:
      return "failed";
  }
}
