import { Resend } from "resend";

/** A rendered email, ready for any transport. */
export interface EmailMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string | null }
  | { ok: false; error: string; retryable: boolean };

/** Delivery is a transport, not trust: the challenge lives in our database. */
export interface EmailTransport {
  readonly name: "outbox" | "resend";
  send(message: EmailMessage): Promise<SendOutcome>;
  /**
   * Whether the message body must stay in the outbox after sending. Only
   * the development mailbox needs it; a real transport's sent rows are
   * scrubbed so that sign-in links do not linger in the database.
   */
  readonly keepsBody: boolean;
  /**
   * True when writing the outbox row is the whole delivery (the development
   * mailbox): the row is then written as sent, and `send` is not called.
   */
  readonly deliveredByStoring?: boolean;
}

/**
 * Development and test transport: the outbox row is the delivery, read at
 * /dev/mailbox. lib/env.ts refuses it unless under `next dev` or with DEV_MAILBOX=1.
 */
export const outboxTransport: EmailTransport = {
  name: "outbox",
  keepsBody: true,
  deliveredByStoring: true,
  send: async () => ({ ok: true, providerMessageId: null }),
};

/** How long one send may take before it counts as failed (and is retried later). */
export const RESEND_TIMEOUT_MS = 5000;

export interface ResendOptions {
  apiKey: string;
  /** Default: Resend's public API; tests point it at a local stand-in. */
  baseUrl?: string;
}

export function resendTransport(options: ResendOptions): EmailTransport {
  const client = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    name: "resend",
    keepsBody: false,
    async send(message) {
      try {
        const { data, error } = await client.emails.send(
          { from: message.from, to: message.to, subject: message.subject, text: message.text, html: message.html },
          // Retries of one outbox row must never send two emails; a provider
          // that hangs must not hold the user's request open.
          { idempotencyKey: `outbox/${message.id}`, signal: AbortSignal.timeout(RESEND_TIMEOUT_MS) },
        );
        if (error) {
          const detail = `${error.name}: ${error.message}`.slice(0, 300);
          return { ok: false, error: detail, retryable: isRetryable(error.name) };
        }
        return { ok: true, providerMessageId: data?.id ?? null };
      } catch (thrown) {
        // Network failures and timeouts: the provider may come back.
        const text = thrown instanceof Error ? thrown.message : String(thrown);
        return { ok: false, error: text.slice(0, 300), retryable: true };
      }
    },
  };
}

// Resend's error names for requests that will fail the same way again.
const PERMANENT_ERRORS = new Set([
  "validation_error",
  "missing_required_field",
  "invalid_from_address",
  "invalid_to_address",
  "invalid_api_key",
  "restricted_api_key",
  "missing_api_key",
]);

function isRetryable(name: string): boolean {
  return !PERMANENT_ERRORS.has(name);
}
