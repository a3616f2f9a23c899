import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../core/command-types";
import { PROVIDERS, createHarness, runCommand, signInByEmail, type Harness } from "../testing/harness";
import { passkeyStepUp, registerPasskey } from "../testing/passkeys";
import { TOTP_PERIOD_SECONDS } from "../totp/totp-code";
import { codeAt, enrollApp } from "../totp/totp-test-support";

/**
 * A removed factor closes what it opened: the step-up grants proved with
 * it end on every session of the account, so a grant made with an app (or
 * a passkey) that was then removed opens nothing more. Other kinds' grants
 * and other accounts' grants are left alone. Through the commands, on
 * every provider.
 */
describe.each(PROVIDERS)("what a factor removal ends, on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);
  const decision = async (sessionToken: string, action: string) =>
    (await run("AUTH.POLICY.DECIDE", { action }, { sessionToken })).data.decision as string;

  /** A step-up for `action` with the app's code of the next time step (each code works once): the rotated token. */
  async function appStepUp(sessionToken: string, secret: Uint8Array, action: string): Promise<string> {
    h.clock.advanceSeconds(TOTP_PERIOD_SECONDS);
    const begun = await run("AUTH.STEP_UP.BEGIN", { action, method: "totp" }, { sessionToken });
    expect(begun).toMatchObject({ ok: true });
    const granted = await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, code: codeAt(h, secret) }, { sessionToken });
    expect(granted).toMatchObject({ ok: true, data: { grant: { action, method: "totp" } } });
    return granted.data.sessionToken as string;
  }

  /** A person with a passkey and an app (added after a step-up with the passkey), and two email sessions of theirs. */
  async function personWithPasskeyAndApp() {
    const email = `removal-${++people}@example.com`;
    const phone = await registerPasskey(h, await signInByEmail(h, email));
    const adding = await passkeyStepUp(h, await signInByEmail(h, email), phone, "security.factor.add");
    const app = await enrollApp(h, adding);
    return { email, phone, app, sessions: [await signInByEmail(h, email), await signInByEmail(h, email)] };
  }

  it("ends the grants an app proved, on every session of the account, once the app is removed", async () => {
    const { phone, app, sessions } = await personWithPasskeyAndApp();
    const [first, second] = sessions;
    const reading = await appStepUp(first, app.secret, "file.view_private");
    const exporting = await appStepUp(second, app.secret, "file.export");
    expect(await decision(reading, "file.view_private")).toBe("allow");
    expect(await decision(exporting, "file.export")).toBe("allow");

    // Removed from the first session, after the step-up the removal needs (a passkey: the strongest factor).
    const removing = await passkeyStepUp(h, reading, phone, "security.factor.remove");
    const removed = await run("AUTH.TOTP.DELETE", { id: app.id }, { sessionToken: removing });
    expect(removed).toMatchObject({ ok: true, data: { deleted: true, endedGrants: 2 } });

    // The app's grants open nothing any more, in either session, though their windows have hours left.
    expect(await decision(removing, "file.view_private")).toBe("step_up");
    expect(await decision(exporting, "file.export")).toBe("step_up");
    // The passkey's grant is not the app's: it still stands.
    expect(await decision(removing, "security.factor.remove")).toBe("allow");
    expect(await h.db.stepUpGrant.count({ where: { method: "totp" } })).toBe(0);
    // The adding one from the set-up, and the removing one.
    expect(await h.db.stepUpGrant.count({ where: { method: "passkey" } })).toBe(2);
  });

  it("leaves another account's app grants alone", async () => {
    const alice = await personWithPasskeyAndApp();
    const bob = await personWithPasskeyAndApp();
    const bobs = await appStepUp(bob.sessions[0], bob.app.secret, "file.view_private");
    const removing = await passkeyStepUp(h, alice.sessions[0], alice.phone, "security.factor.remove");
    expect(await run("AUTH.TOTP.DELETE", { id: alice.app.id }, { sessionToken: removing })).toMatchObject({ ok: true, data: { endedGrants: 0 } });
    expect(await decision(bobs, "file.view_private")).toBe("allow");
  });

  it("ends the grants a passkey proved once a passkey is removed, and not the app's", async () => {
    const { phone, app, sessions } = await personWithPasskeyAndApp();
    const managing = await passkeyStepUp(h, sessions[0], phone, "security.factor.add");
    const laptop = await registerPasskey(h, managing);
    const byPhone = await passkeyStepUp(h, sessions[1], phone, "file.view_private");
    const byApp = await appStepUp(byPhone, app.secret, "file.export");

    // Removed with the other passkey's grant, from the first session.
    const removing = await passkeyStepUp(h, managing, laptop, "security.factor.remove");
    const phoneId = (await h.db.passkey.findFirstOrThrow({ where: { credentialId: phone.id } })).id;
    const removed = await run("AUTH.PASSKEY.DELETE", { id: phoneId }, { sessionToken: removing });
    // Every passkey grant of the account: the phone's three (the set-up's adding, this adding, the private file),
    // and, since a grant does not record which passkey proved it, the laptop's removing one too.
    expect(removed).toMatchObject({ ok: true, data: { endedGrants: 4 } });
    expect(await decision(byApp, "file.view_private")).toBe("step_up");
    expect(await decision(byApp, "file.export")).toBe("allow");
    expect(await decision(removing, "security.factor.remove")).toBe("step_up");
  });
});
