import type { APIRequestContext } from "@playwright/test";

// One entry of GET /api/dev/mailbox: the app's own type, so the two cannot drift.
import type { MailboxMessage } from "../../lib/delivery/mailbox";
export type { MailboxMessage };

/** A sign-in email with the two things a person takes from it. */
export interface SignInMail extends MailboxMessage {
  /** The magic link, absolute, as the email shows it. */
  link: string;
  /** The 6-digit code. */
  code: string;
}

/** Newest first, like the API. */
export async function listMailbox(request: APIRequestContext, to: string): Promise<MailboxMessage[]> {
  const ask = () => request.get("/api/dev/mailbox", { params: { to } });
  // Node closes an idle keep-alive socket after 5 s; a poll that reuses it at
  // that instant gets ECONNRESET (seen once in CI). Asking again opens a new one.
  const response = await ask().catch((error: unknown) => {
    if (error instanceof Error && /ECONNRESET|socket hang up/.test(error.message)) return ask();
    throw error;
  });
  if (!response.ok()) {
    throw new Error(`GET /api/dev/mailbox answered ${response.status()}: is the e2e server running with DEV_MAILBOX=1?`);
  }
  return (await response.json()) as MailboxMessage[];
}

// The plain-text part has the link (twice: button and fallback) and the
// code alone on its line; the HTML part is for people, not parsers.
const LINK = /https?:\/\/[^\s"<>]+\/magic-link\?token=[\w-]+/;
const CODE = /^\s*(\d{6})\s*$/m;

export function parseSignInMail(message: MailboxMessage): SignInMail {
  const link = LINK.exec(message.text)?.[0];
  const code = CODE.exec(message.text)?.[1];
  if (!link || !code) {
    throw new Error(`No sign-in link and code in the email to ${message.to}:\n${message.text}`);
  }
  return { ...message, link, code };
}

/** A 6-digit code that is certainly not `code`: every digit moved by one. */
export function wrongCodeFor(code: string): string {
  return code.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
}

/** An email that carries only a code (the re-confirmation before a passkey is added or removed). */
export interface CodeMail extends MailboxMessage {
  code: string;
}

export function parseCodeMail(message: MailboxMessage): CodeMail {
  const code = CODE.exec(message.text)?.[1];
  if (!code) throw new Error(`No 6-digit code in the email to ${message.to}:\n${message.text}`);
  return { ...message, code };
}
