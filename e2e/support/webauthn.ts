import type { CDPSession, Page } from "@playwright/test";

/**
 * Chrome's virtual authenticator, driven over the DevTools protocol
 * (docs/architecture.md § Tests): the page's real
 * `navigator.credentials` calls reach it as they would a phone's or a
 * laptop's built-in authenticator, with nobody at the keyboard.
 */
export interface VirtualAuthenticator {
  /** Whether it passes user verification (the fingerprint, face or PIN check). */
  setUserVerified(verified: boolean): Promise<void>;
  /**
   * Whether it answers without a person touching it. Off, a request stays
   * pending: that is how a spec keeps the sign-in page's autofill request
   * waiting, as a real browser does until someone picks a passkey.
   */
  setAutomaticPresence(enabled: boolean): Promise<void>;
  /** How many passkeys it holds. */
  credentialCount(): Promise<number>;
  /** Every `navigator.credentials` call the page made, oldest first (see WEBAUTHN_SPY). */
  requests(): Promise<WebAuthnRequest[]>;
}

export interface WebAuthnRequest {
  kind: "get" | "create";
  /** "conditional" is the email field's autofill; "optional" a dialog (the button). */
  mediation: string;
  /** "pending", "resolved", or the DOMException's name ("AbortError", "NotAllowedError", ...). */
  outcome: string;
}

/** The options docs/architecture.md § Tests names: a built-in (platform) authenticator that can hold passkeys and verify the user. */
export const PLATFORM_AUTHENTICATOR = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

/**
 * Records each WebAuthn call the page makes and how it ended, so a spec can
 * tell the autofill request from the button's and see an abort. It only
 * observes: every call still goes to the browser unchanged.
 */
const WEBAUTHN_SPY = () => {
  const log: { kind: string; mediation: string; outcome: string }[] = [];
  Object.defineProperty(window, "__webauthnRequests", { value: log });
  const credentials = navigator.credentials;
  for (const kind of ["get", "create"] as const) {
    const original = credentials[kind].bind(credentials);
    credentials[kind] = (options?: CredentialRequestOptions & CredentialCreationOptions) => {
      const entry = { kind, mediation: options?.mediation ?? "optional", outcome: "pending" };
      log.push(entry);
      return original(options).then(
        (credential) => {
          entry.outcome = "resolved";
          return credential;
        },
        (error: unknown) => {
          entry.outcome = error instanceof Error ? error.name : "unknown";
          throw error;
        },
      );
    };
  }
};

export async function attachVirtualAuthenticator(
  page: Page,
): Promise<{ authenticator: VirtualAuthenticator; detach: () => Promise<void> }> {
  await page.addInitScript(WEBAUTHN_SPY);
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { ...PLATFORM_AUTHENTICATOR },
  });
  const authenticator: VirtualAuthenticator = {
    async setUserVerified(verified) {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: verified });
    },
    async setAutomaticPresence(enabled) {
      await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled });
    },
    async credentialCount() {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length;
    },
    async requests() {
      // Mid-navigation there is no document to ask; "nothing yet" lets a poll try again.
      return page
        .evaluate(() => [
          ...((window as unknown as { __webauthnRequests?: WebAuthnRequest[] }).__webauthnRequests ?? []),
        ])
        .catch(() => []);
    },
  };
  async function detach(): Promise<void> {
    // The page may already be closed when a test failed; nothing is left to remove then.
    await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId }).catch(() => undefined);
    await cdp.detach().catch(() => undefined);
  }
  return { authenticator, detach };
}
