import { WebAuthnError } from "@simplewebauthn/browser";
import { describe, expect, it } from "vitest";
import { browserProblemOf } from "./passkey-errors";

/** What the browser library throws, as it wraps a DOMException from navigator.credentials. */
function wrapped(name: string): WebAuthnError {
  return new WebAuthnError({
    message: "from the browser",
    code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY",
    cause: new DOMException("from the browser", name),
  });
}

describe("browserProblemOf", () => {
  it.each([
    ["NotAllowedError", "notAllowed"],
    ["InvalidStateError", "alreadyRegistered"],
    ["NotSupportedError", "unsupported"],
    ["ConstraintError", "unsupported"],
    ["SecurityError", "failed"],
    ["UnknownError", "failed"],
  ])("maps %s to %s", (name, problem) => {
    expect(browserProblemOf(wrapped(name))).toBe(problem);
    expect(browserProblemOf(new DOMException("bare", name))).toBe(problem);
  });

  it("treats an abort as no problem at all: a newer ceremony or the email form took over", () => {
    expect(browserProblemOf(wrapped("AbortError"))).toBeNull();
    expect(browserProblemOf(new DOMException("aborted", "AbortError"))).toBeNull();
  });

  it("never passes anything it does not know through as a message", () => {
    expect(browserProblemOf(new Error("WebAuthn is not supported in this browser"))).toBe("failed");
    expect(browserProblemOf("a string")).toBe("failed");
    expect(browserProblemOf(undefined)).toBe("failed");
  });
});
