/**
 * The WebAuthn relying party, derived from AUTH_URL: its host is the RP ID
 * (passkeys are scoped to it) and its origin is the only one a ceremony's
 * clientDataJSON may name. Nothing comes from the request's Host header.
 */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingPartyFor(appBaseUrl: string, name = "Trustladder"): RelyingParty {
  const url = new URL(appBaseUrl);
  return { id: url.hostname, name, origin: url.origin };
}
