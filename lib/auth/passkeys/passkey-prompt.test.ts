import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../core/command-types";
import { findActiveSession } from "../core/sessions";
import { PROVIDERS, createHarness, runCommand, signInByEmail, type Harness } from "../testing/harness";
import { MAX_PROMPT_DISMISSALS, PROMPT_COOLDOWN_SECONDS, promptEligible } from "./passkey-prompt";

describe.each(PROVIDERS)("the passkey upgrade prompt on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);

  async function signedIn(): Promise<{ token: string; email: string }> {
    const email = `reauth-${++people}@example.com`;
    return { token: await signInByEmail(h, email), email };
  }

  it("offers the passkey prompt until dismissed, then waits a week, and stops after three dismissals", async () => {
    const { token, email } = await signedIn();
    const userId = (await h.db.user.findUniqueOrThrow({ where: { email } })).id;
    const eligible = () => promptEligible(h.deps, { userId, passkeyOnThisBrowser: false });

    expect((await run("AUTH.PASSKEY.PROMPT.CHECK", { action: "send_file" }, { sessionToken: token })).data.eligible).toBe(true);
    const here = await run("AUTH.PASSKEY.PROMPT.CHECK", { action: "send_file" }, { sessionToken: token, passkeyOnThisBrowser: true });
    expect(here.data.eligible).toBe(false);

    for (let dismissal = 1; dismissal <= MAX_PROMPT_DISMISSALS; dismissal++) {
      await run("AUTH.PASSKEY.PROMPT.RECORD", { action: "send_file", event: "shown" }, { sessionToken: token });
      await run("AUTH.PASSKEY.PROMPT.RECORD", { action: "send_file", event: "dismissed" }, { sessionToken: token });
      expect(await eligible()).toBe(false);
      h.clock.advanceSeconds(PROMPT_COOLDOWN_SECONDS - 60);
      expect(await eligible()).toBe(false);
      // Stay signed in as a returning person would (the idle window is a week).
      expect(await findActiveSession(h.deps.store.sessions, h.clock, token)).not.toBeNull();
      h.clock.advanceSeconds(120);
      // After the third dismissal the prompt lives only in Settings.
      expect(await eligible()).toBe(dismissal < MAX_PROMPT_DISMISSALS);
    }
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { command: "AUTH.PASSKEY.PROMPT.RECORD" } })).toBe(MAX_PROMPT_DISMISSALS * 2);
    expect(await h.db.passkeyPromptState.findUniqueOrThrow({ where: { userId } })).toMatchObject({ shownCount: 3, dismissals: 3 });
  });

  it("refuses prompt events it does not know", async () => {
    const { token } = await signedIn();
    expect(await run("AUTH.PASSKEY.PROMPT.RECORD", { action: "send_file", event: "clicked" }, { sessionToken: token })).toMatchObject({
      status: 400,
      code: "VALIDATION_FAILED",
    });
    expect(await run("AUTH.PASSKEY.PROMPT.CHECK", { action: "sign_in" }, { sessionToken: token })).toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
