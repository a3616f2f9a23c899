import { describe, expect, it } from "vitest";
import { actionResultFrom, formStateOf, untrustedRecord } from "./action-result";
import type { Execution } from "./execute";

function execution<D>(envelope: Execution<D>["envelope"], retryAfterSeconds?: number): Execution<D> {
  return { envelope, status: envelope.ok ? 200 : 400, retryAfterSeconds, effects: [] };
}

describe("actionResultFrom", () => {
  it("passes a command's data through", () => {
    const result = actionResultFrom(
      execution<{ eligible: boolean }>({ ok: true, command: "AUTH.PASSKEY.PROMPT.CHECK", data: { eligible: true }, error: null }),
    );
    expect(result).toEqual({ ok: true, data: { eligible: true } });
  });

  it("keeps only the code, the retry time and the field keys of a failure: no sentence, no stack", () => {
    const result = actionResultFrom(
      execution(
        {
          ok: false,
          command: "AUTH.REAUTH.VERIFY",
          data: null,
          error: { code: "RATE_LIMITED", message: "Too many attempts.", fields: { code: "CODE_FORMAT" } },
        },
        120,
      ),
    );
    expect(result).toEqual({
      ok: false,
      error: "RATE_LIMITED",
      retryAfterSeconds: 120,
      fieldErrors: { code: "CODE_FORMAT" },
    });
    if (!result.ok)
      expect(formStateOf(result)).toEqual({
        status: "error",
        error: "RATE_LIMITED",
        retryAfterSeconds: 120,
        fieldErrors: { code: "CODE_FORMAT" },
      });
  });
});

describe("untrustedRecord", () => {
  it("reads an object's fields and turns anything else into an empty record", () => {
    expect(untrustedRecord({ challengeId: "x" })).toEqual({ challengeId: "x" });
    for (const posted of [null, undefined, "text", 42, ["challengeId"]]) expect(untrustedRecord(posted)).toEqual({});
  });
});
