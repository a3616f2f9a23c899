export { passkeyStepUp, registerPasskey } from "../testing/passkeys";
import { expect } from "vitest";
import type { Locale } from "../../i18n/locales";
import type { CommandContext } from "../core/command-types";
import { execute } from "../core/execute";
import { commandContext, latestEmail, runCommand, type Harness } from "../testing/harness";
import { TOTP_PERIOD_SECONDS, secretFromManualKey, totpCodeAt } from "./totp-code";

/**
 * What the authenticator-app suites share: a person signed in by email, an
 * app enrolled through the commands (its secret read off the manual key, as
 * a phone would), and the code that app shows some steps from now.
 */

let people = 0;

/** A new person (or `email` again) signed in by email link, in `locale`: their session token, address and account id. */
export async function emailSignIn(h: Harness, { locale = "en", email }: { locale?: Locale; email?: string } = {}) {
  const address = email ?? `totp-person-${++people}-${Date.now()}@example.com`;
  const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email: address }, { locale });
  const mail = await latestEmail(h.db, address);
  const redeemed = await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding }, { locale });
  expect(redeemed.ok).toBe(true);
  const user = await h.db.user.findUniqueOrThrow({ where: { email: address } });
  return { token: redeemed.data.sessionToken as string, email: address, userId: user.id };
}

/** The code the app with `secret` shows `steps` time steps from the harness's now. */
export function codeAt(h: Harness, secret: Uint8Array, steps = 0): string {
  return totpCodeAt(secret, new Date(h.clock.now().getTime() + steps * TOTP_PERIOD_SECONDS * 1000));
}

/** ENROLL.BEGIN, and the secret read back from the manual key it answered. */
export async function beginEnrollment(h: Harness, sessionToken: string) {
  const begun = await runCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken });
  expect(begun).toMatchObject({ ok: true });
  const secret = secretFromManualKey(begun.data.secret as string);
  if (!secret) throw new Error("ENROLL.BEGIN answered no readable manual key");
  return { enrollmentId: begun.data.enrollmentId as string, secret, data: begun.data };
}

/** An app enrolled through both commands: its id and secret. */
export async function enrollApp(h: Harness, sessionToken: string) {
  const { enrollmentId, secret } = await beginEnrollment(h, sessionToken);
  const finished = await runCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: codeAt(h, secret) }, { sessionToken });
  expect(finished).toMatchObject({ ok: true });
  return { id: enrollmentId, secret };
}

/** Runs a command and answers its whole execution: the envelope's details and the retry time, which runCommand leaves out. */
export async function executeCommand(h: Harness, command: string, params: unknown, ctx: Partial<CommandContext> = {}) {
  const execution = await execute(h.deps, command, params, commandContext(ctx));
  return {
    status: execution.status,
    code: execution.envelope.error?.code,
    details: execution.envelope.error?.details,
    retryAfterSeconds: execution.retryAfterSeconds,
  };
}
