import { render } from "@react-email/render";
import { createElement } from "react";
import { createTranslator } from "next-intl";
import { deliveryStatusOf, dispatchMessage, type DeliveryStatus } from "../../delivery/outbox";
import { NoticeEmail } from "../../delivery/templates/notice-email";
import type { Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import { deliveryDeps, type AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import { findCodeChallenge, issueCodeChallenge } from "./code-challenge";
import { MAGIC_LINK_TTL_MINUTES } from "../core/email-challenge-lifetime";
import { stateOf } from "./magic-link";
import { checkCode, namingChallenge, refundCodeAttempt, whyNotConsumed } from "./magic-link-code";
import { rotateSessionWithMethod, type ActiveSession } from "../core/sessions";

/**
 * Re-confirmation for a signed-in person before binding or removing an
 * authenticator (ASVS 7.5.1): a 6-digit code to their email, no link. It
 * does not raise the session's level (email is never a step-up, B4
 * §3.1.3.1); it only refreshes "when did this person last prove it".
 */
export async function requestReauthCode(
  deps: AuthDeps,
  input: { session: ActiveSession; locale: Locale },
): Promise<Result<{ challengeId: string; expiresAt: Date; delivery: DeliveryStatus }>> {
  const email = input.session.user.email;
  const limited = await limitFailure(deps.limits, "reauthRequestPerUser", input.session.user.id);
  if (limited) return limited;

  const issued = await issueCodeChallenge(
    deps,
    { purpose: "reauth", email, userId: input.session.user.id, locale: input.locale },
    (code) => renderReauthEmail(input.locale, code),
  );
  if (!issued) return failure("UNAUTHENTICATED");
  const { challengeId, expiresAt, messageId } = issued;
  const dispatched = await dispatchMessage(deliveryDeps(deps), messageId).catch(
    () => "retrying" as const,
  );
  return success({ challengeId, expiresAt, delivery: deliveryStatusOf(dispatched) });
}

type Reconfirmed = { sessionToken: string; expiresAt: Date; reauthenticatedAt: Date };

export async function verifyReauthCode(
  deps: AuthDeps,
  input: ReconfirmInput,
): Promise<Result<Reconfirmed>> {
  return namingChallenge(input.challengeId, await reconfirm(deps, input));
}

interface ReconfirmInput {
  session: ActiveSession;
  challengeId: string;
  code: string;
  /** This command's success event, inserted with the change (lib/auth/core/audit.ts). */
  auditRow: AuditRowFor;
}

async function reconfirm(deps: AuthDeps, input: ReconfirmInput): Promise<Result<Reconfirmed>> {
  // Someone else's code, or a sign-in challenge, is not found here.
  const challenge = await findCodeChallenge(deps.store.emailChallenges, {
    purpose: "reauth",
    challengeId: input.challengeId,
    email: input.session.user.email,
  });
  if (!challenge) return failure("TOKEN_INVALID");
  const now = deps.clock.now();
  const state = stateOf(challenge.status, challenge.expiresAt, now);
  if (state === "used") return failure("TOKEN_USED");
  if (state === "voided") return failure("TOKEN_VOIDED");
  if (state === "expired") return failure("TOKEN_EXPIRED");
  const refused = await checkCode(deps, challenge, input.code);
  if (refused) return refused;

  // checkCode took one of the challenge's attempts before comparing; the
  // right code gives it back as it consumes the challenge. Consuming it,
  // the session's new token and the event commit together: a failing audit
  // write leaves the code unused and the old token working.
  const outcome = await deps.store.transaction(async (tx) => {
    if (!(await tx.emailChallenges.consumeByCode(challenge.id, now))) return "not-consumed" as const;
    const rotated = await rotateSessionWithMethod(tx.sessions, deps.clock, { sessionId: input.session.id, method: "email_code" });
    if (!rotated) return "no-session" as const;
    await insertAuditRow(tx, input.auditRow({ details: { method: "email_code", challengeId: challenge.id } }));
    return rotated;
  });
  if (outcome === "not-consumed") return failure(await whyNotConsumed(deps, challenge.id));
  if (outcome === "no-session") return failure("UNAUTHENTICATED");
  await refundCodeAttempt(deps, challenge.email);
  return success({ ...outcome, reauthenticatedAt: now });
}

async function renderReauthEmail(locale: Locale, code: string) {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.reauth" });
  const element = createElement(NoticeEmail, {
    locale,
    preview: t("preview", { minutes: MAGIC_LINK_TTL_MINUTES }),
    heading: t("heading"),
    paragraphs: [t("intro", { minutes: MAGIC_LINK_TTL_MINUTES }), t("notYou")],
    code,
  });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: t("subject"), html, text, template: "reauth-code" };
}
