import type { Messages } from "./messages";

/**
 * Which message namespaces reach the browser. Every message a client
 * component reads travels in the page's RSC payload, so a page's client side
 * carries only the namespaces of the components it can render, never the
 * server's own (emails, page headings and bodies rendered on the server).
 * client-messages.test.ts checks the lists against every `useTranslations`
 * call in app/ and components/.
 */
export type Namespace = keyof Messages;

/** Everything a client component anywhere reads: pages that render forms of several kinds get these. */
export const CLIENT_NAMESPACES = [
  "checkEmail",
  "errors",
  "files",
  "lockout",
  "nav",
  "passkeyErrors",
  "passkeyPrompt",
  "payouts",
  "policy",
  "reauth",
  "recipients",
  "security",
  "signInSecondFactor",
  "stepUp",
  "totp",
] as const satisfies readonly Namespace[];

/**
 * The sign-in page's client side: its first render uses strings the server
 * translated; these are for what it loads on demand (a refused request, a
 * failed passkey, the code step).
 */
export const SIGN_IN_CLIENT_NAMESPACES = ["checkEmail", "errors", "lockout", "passkeyErrors", "signInSecondFactor"] as const satisfies readonly Namespace[];

/**
 * What a client island needs to translate by itself: the locale, the time
 * zone and the messages of its namespaces. A plain value, so it can travel
 * as a prop to code loaded on demand (components/auth/sign-in-feedback.tsx);
 * built on the server by clientIntl (client-intl.ts).
 */
export interface ClientIntl {
  locale: string;
  timeZone: string;
  messages: Partial<Messages>;
}

export function pickMessages(messages: Messages, namespaces: readonly Namespace[]): Partial<Messages> {
  return Object.fromEntries(namespaces.map((namespace) => [namespace, messages[namespace]]));
}
