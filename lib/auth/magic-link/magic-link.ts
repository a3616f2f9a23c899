import { newRowId } from "../../db/ids";
import { claimedEmailRow, deliveryStatusOf, sendClaimedEmail, type DeliveryStatus } from "../../delivery/outbox";
import { renderMagicLinkEmail } from "../../delivery/templates/render-magic-link-email";
import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "../core/deps";
import { MAGIC_LINK_TTL_SECONDS } from "../core/email-challenge-lifetime";
import { maskEmailAddress } from "../core/email-address";
import { success, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import type { RequestContext } from "../core/request-context";
import {
  BINDING_BYTES,
  LINK_TOKEN_BYTES,
  keyedHash,
  looksLikeToken,
  randomCode,
  randomToken,
  sha256Hex,
} from "../core/secrets";

/** Wrong codes before a challenge's code stops working (carried over to the same browser's resend). */
export const MAX_CODE_FAILURES = 5;

export type ChallengeStatus = "pending" | "redeemed" | "voided";

export interface MagicLinkRequest {
  /** Canonical address from parseEmailAddress. */
  email: string;
  locale: Locale;
  /** Already passed through safeRedirectPath. */
  callbackPath: string;
  context: RequestContext;
  /**
   * The binding this browser (or API client) holds from an earlier request,
   * if any. The new link keeps it and replaces only the links it was given
   * to; a link another browser asked for stays valid.
   */
  binding?: string | null;
}

export interface IssuedChallenge {
  challengeId: string;
  /** Goes to the browser as an HttpOnly cookie, or to an API client in the reply. */
  binding: string;
  expiresAt: Date;
  /** The first send's outcome; "delayed" means the outbox keeps retrying. */
  delivery: DeliveryStatus;
}

export function codeHashFor(secret: string, challengeId: string, code: string): string {
  return keyedHash(secret, `email-code:${challengeId}`, code);
}

export function linkFor(appBaseUrl: string, locale: Locale, token: string): string {
  // The base comes from configuration, never from the request's Host header,
  // so a forged Host cannot point a link at someone else's server.
  return `${appBaseUrl}/${locale}/magic-link?token=${encodeURIComponent(token)}`;
}

/**
 * Issues a challenge and queues its email. Every address gets the same
 * answer, whether or not an account exists (ASVS 6.3.8): the account is
 * created on first redemption, not here.
 */
export async function requestMagicLink(deps: AuthDeps, request: MagicLinkRequest): Promise<Result<IssuedChallenge>> {
  const { clock } = deps;
  // Per address and network first: someone asking for another person's
  // address from their own network spends their own share of it; the
  // looser per-address cap only keeps the mailbox from being flooded.
  const limited =
    (await limitFailure(deps.limits, "requestPerAddressNetwork", `${request.email} ${request.context.networkLimitKey}`)) ??
    (await limitFailure(deps.limits, "requestPerAddress", request.email)) ??
    (await limitFailure(deps.limits, "requestPerIp", request.context.ipLimitKey));
  if (limited) return limited;

  const now = clock.now();
  const expiresAt = new Date(now.getTime() + MAGIC_LINK_TTL_SECONDS * 1000);
  const token = randomToken(LINK_TOKEN_BYTES);
  // A browser that asks again keeps its binding, so the new link replaces
  // its earlier ones (and parallel requests from it leave one link).
  const binding =
    request.binding && looksLikeToken(request.binding, BINDING_BYTES) ? request.binding : randomToken(BINDING_BYTES);
  const code = randomCode();

  const email = await renderMagicLinkEmail(request.locale, {
    link: linkFor(deps.appBaseUrl, request.locale, token),
    code,
    browser: request.context.browserSummary,
    country: request.context.country,
    requestedAt: now,
  });

  // Chosen here rather than by the database, because the code's hash is
  // keyed by it (a code is only ever valid for its own challenge).
  const challengeId = newRowId();
  const outboxRow = claimedEmailRow(clock, deps.transport, {
    to: request.email,
    ...email,
    locale: request.locale,
    template: "magic-link",
    challengeId,
  });
  // One transaction: this browser's earlier links for the address are
  // voided, and this one inherits their wrong-code count (asking for a new
  // code must not buy five more guesses). Another browser's new link starts
  // at zero, which cannot void or lock anyone else's; the guesses of all of
  // them together are capped per address (codeFailuresPerAddress).
  await deps.store.emailChallenges.issueSignIn(
    {
      id: challengeId,
      email: request.email,
      tokenHash: sha256Hex(token),
      codeHash: codeHashFor(deps.secret, challengeId, code),
      bindingHash: sha256Hex(binding),
      locale: request.locale,
      callbackPath: request.callbackPath,
      requestUserAgent: request.context.browserSummary.slice(0, 120),
      requestCountry: request.context.country,
      createdAt: now,
      expiresAt,
    },
    outboxRow,
  );

  const dispatched = await sendClaimedEmail(
    { outbox: deps.store.outbox, clock, transport: deps.transport, from: deps.emailFrom },
    outboxRow,
  ).catch(() => "retrying" as const);

  return success({ challengeId, binding, expiresAt, delivery: deliveryStatusOf(dispatched) });
}

export type LinkState =
  | { state: "ready"; maskedEmail: string; boundToThisBrowser: boolean; codeLocked: boolean }
  | { state: "expired" | "used" | "voided" | "invalid" };

/**
 * What the magic-link page shows on GET. It reads and never writes: a mail
 * scanner that opens the link leaves it as valid as it found it.
 */
export async function inspectMagicLink(
  deps: Pick<AuthDeps, "store" | "clock">,
  token: string,
  binding: string | undefined,
): Promise<LinkState & { email?: string; locale?: string }> {
  if (!looksLikeToken(token, LINK_TOKEN_BYTES)) return { state: "invalid" };
  const challenge = await deps.store.emailChallenges.findByTokenHash(sha256Hex(token));
  // Only a sign-in link has a token; the purpose is checked all the same.
  if (!challenge || challenge.purpose !== "sign_in") return { state: "invalid" };
  const state = stateOf(challenge.status, challenge.expiresAt, deps.clock.now());
  if (state !== "ready") return { state, email: challenge.email, locale: challenge.locale };
  return {
    state,
    email: challenge.email,
    locale: challenge.locale,
    maskedEmail: maskEmailAddress(challenge.email),
    boundToThisBrowser: binding !== undefined && challenge.bindingHash !== null && sha256Hex(binding) === challenge.bindingHash,
    codeLocked: challenge.failedCodeAttempts >= MAX_CODE_FAILURES,
  };
}

/**
 * The address a sign-in link was sent to, whatever its state, so a page
 * holding a dead link can ask for a fresh one in one click. Only sign-in
 * links have tokens; a code-only challenge is never found this way.
 */
export async function addressOfLink(deps: Pick<AuthDeps, "store">, token: string): Promise<string | null> {
  if (!looksLikeToken(token, LINK_TOKEN_BYTES)) return null;
  const row = await deps.store.emailChallenges.findByTokenHash(sha256Hex(token));
  return row?.purpose === "sign_in" ? row.email : null;
}

export function stateOf(status: string, expiresAt: Date, now: Date): "ready" | "expired" | "used" | "voided" {
  if (status === "redeemed") return "used";
  if (status === "voided") return "voided";
  if (expiresAt <= now) return "expired";
  return "ready";
}
