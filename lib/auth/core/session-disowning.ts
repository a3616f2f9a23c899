import type { AuthDeps } from "./deps";
import { failure, success, type Result } from "./errors";
import { digestsEqual, keyedHash } from "./secrets";

/**
 * "This wasn't me": the new-sign-in email carries a link that ends the
 * session it is about, after the person confirms on the page it opens (a
 * link scanner that fetches the page ends nothing). The person may be on
 * another device and signed out, so the link itself is the authority: the
 * session's id and the link's expiry, keyed with AUTH_SECRET. It can end
 * that one session and nothing else, so whoever reads the email can at
 * worst sign out the sign-in it reports.
 *
 * Token: `<sessionId>.<expires, unix seconds>.<HMAC-SHA-256, hex>`.
 */

const PURPOSE = "disown-session";
const TOKEN_PATTERN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([0-9a-f]{64})$/;

/** The link for an email: valid as long as the session could live (its absolute expiry). */
export function disownSessionUrl(
  deps: Pick<AuthDeps, "secret" | "appBaseUrl">,
  input: { sessionId: string; sessionExpiresAt: Date; locale: string },
): string {
  const expires = Math.ceil(input.sessionExpiresAt.getTime() / 1000);
  const signed = `${input.sessionId}.${expires}`;
  const token = `${signed}.${keyedHash(deps.secret, PURPOSE, signed)}`;
  return `${deps.appBaseUrl}/${input.locale}/not-me?token=${encodeURIComponent(token)}`;
}

/**
 * The session a token names, when it was made here and has not expired.
 * A token that was not made here is TOKEN_INVALID; one past its time,
 * TOKEN_EXPIRED (the session it named has ended by now anyway).
 */
export function readDisownToken(deps: Pick<AuthDeps, "secret" | "clock">, token: string): Result<{ sessionId: string }> {
  const parts = TOKEN_PATTERN.exec(token);
  if (!parts) return failure("TOKEN_INVALID");
  const [, sessionId, expires, mac] = parts;
  if (!digestsEqual(mac, keyedHash(deps.secret, PURPOSE, `${sessionId}.${expires}`))) return failure("TOKEN_INVALID");
  if (Number(expires) * 1000 <= deps.clock.now().getTime()) return failure("TOKEN_EXPIRED");
  return success({ sessionId });
}

/**
 * Ends the session the token names. Already ended (signed out, or ended
 * from this link before) is no error: the person wanted it gone, and it is.
 */
export async function disownSession(
  deps: Pick<AuthDeps, "secret" | "clock" | "store">,
  token: string,
): Promise<Result<{ ended: boolean; userId: string | null; sessionId: string }>> {
  const read = readDisownToken(deps, token);
  if (!read.ok) return read;
  const { sessionId } = read.value;
  const session = await deps.store.sessions.findById(sessionId);
  if (!session) return success({ ended: false, userId: null, sessionId });
  const ended = await deps.store.sessions.deleteForUser(session.user.id, sessionId);
  return success({ ended, userId: session.user.id, sessionId });
}
