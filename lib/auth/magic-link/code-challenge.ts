import { newRowId } from "../../db/ids";
import { queuedEmailRow, type QueuedEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "../core/deps";
import { randomCode } from "../core/secrets";
import { MAGIC_LINK_TTL_SECONDS } from "../core/email-challenge-lifetime";
import type { CodeOnlyPurpose, EmailChallengeRow, EmailChallengeStore } from "../store/types";
import { codeHashFor } from "./magic-link";

/**
 * Every emailed code is a row of one store (the MagicLinkChallenge table),
 * told apart by its purpose, and checked by one path (magic-link-code.ts):
 *
 * - sign_in: a link and a code that start a session (magic-link.ts,
 *   EmailChallengeStore.issueSignIn), with the link's token and the asking
 *   browser's binding.
 * - the code-only purposes, issued here (EmailChallengeStore.issueCode): no
 *   link token, no binding, so no link can ever reach them and no browser is
 *   "bound" to them. The step-up and recovery codes to come are new members
 *   of CodeOnlyPurpose (lib/auth/store/types.ts).
 */
export type { CodeOnlyPurpose } from "../store/types";

export interface CodeChallengeRequest {
  purpose: CodeOnlyPurpose;
  /** The account's canonical address, where the code goes. */
  email: string;
  /** A code-only challenge is always for an existing account. */
  userId: string;
  locale: Locale;
}

export interface IssuedCode {
  challengeId: string;
  expiresAt: Date;
  /** The queued email's outbox row, for the caller's first send (dispatchMessage). */
  messageId: string;
}

/** The email that carries the code, rendered before the transaction opens. */
export type CodeEmail = Pick<QueuedEmail, "subject" | "html" | "text" | "template">;

/**
 * Issues a code challenge for `purpose` and queues its email, in one
 * transaction, replacing the account's pending codes of that purpose ("a new
 * code replaces the old one"). The new code inherits their highest
 * wrong-code count, so asking again never buys more guesses (SECURITY:
 * issuing a new code does not reset the failure count; B4 §3.2.2).
 *
 * The code goes only into `composeEmail`: the row keeps its keyed hash, and
 * the caller never holds it. Null when the account no longer exists.
 */
export async function issueCodeChallenge(
  deps: Pick<AuthDeps, "store" | "clock" | "secret">,
  request: CodeChallengeRequest,
  composeEmail: (code: string) => Promise<CodeEmail>,
): Promise<IssuedCode | null> {
  const now = deps.clock.now();
  // Chosen here, not by the database: the code's hash is keyed by it, so a
  // code is only ever valid for its own challenge.
  const challengeId = newRowId();
  const code = randomCode();
  const expiresAt = new Date(now.getTime() + MAGIC_LINK_TTL_SECONDS * 1000);
  // Rendering is slow next to the writes: outside the transaction.
  const email = await composeEmail(code);

  const row = queuedEmailRow(deps.clock, { ...email, to: request.email, locale: request.locale, challengeId });
  const issued = await deps.store.emailChallenges.issueCode(
    {
      id: challengeId,
      purpose: request.purpose,
      email: request.email,
      userId: request.userId,
      codeHash: codeHashFor(deps.secret, challengeId, code),
      locale: request.locale,
      createdAt: now,
      expiresAt,
    },
    row,
  );
  return issued ? { challengeId, expiresAt, messageId: row.id } : null;
}

/**
 * A code-only challenge by its id, for the account it was sent to: a
 * challenge of another purpose (a sign-in's above all) or another person's
 * is not found, so the caller answers TOKEN_INVALID either way.
 */
export async function findCodeChallenge(
  challenges: EmailChallengeStore,
  query: { purpose: CodeOnlyPurpose; challengeId: string; email: string },
): Promise<EmailChallengeRow | null> {
  const challenge = await challenges.findById(query.challengeId);
  if (!challenge || challenge.purpose !== query.purpose || challenge.email !== query.email) return null;
  return challenge;
}
