import { readAuthCookies } from "../auth/core/cookies";
import { maskEmailAddress } from "../auth/core/email-address";
import { addressOfLink, inspectMagicLink, type LinkState } from "../auth/magic-link/magic-link";
import { serverDeps } from "../auth/core/server-deps";

/** What the magic-link page renders for a token, read-only (a GET never redeems). */
export async function describeMagicLinkForPage(token: string | undefined): Promise<LinkState> {
  if (!token) return { state: "invalid" };
  const { binding } = await readAuthCookies();
  const described = await inspectMagicLink(serverDeps(), token, binding ?? undefined);
  // The full address stays on the server; the page shows the masked one.
  if (described.state === "ready") {
    const { state, maskedEmail, boundToThisBrowser, codeLocked } = described;
    return { state, maskedEmail, boundToThisBrowser, codeLocked };
  }
  return { state: described.state };
}

/**
 * The address a link was sent to, so a page holding a dead link can ask for
 * a fresh one in one click. The new email goes to the same mailbox, so the
 * holder learns nothing and gains nothing they could not already get.
 */
export async function addressForFreshRequest(token: string): Promise<{ email: string; masked: string } | null> {
  const email = await addressOfLink(serverDeps(), token);
  return email ? { email, masked: maskEmailAddress(email) } : null;
}
