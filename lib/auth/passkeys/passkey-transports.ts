import { z } from "zod";

/**
 * A passkey's transports: WebAuthn's hints (WA §5.8.4) of how the browser
 * can reach the authenticator ("internal", "hybrid", "usb", …), as
 * @simplewebauthn names them. Received at registration, stored as JSON text,
 * and handed back to the browser with each ceremony.
 */
export const passkeyTransportsSchema = z
  .array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]))
  .max(8);
export type PasskeyTransports = z.infer<typeof passkeyTransportsSchema>;

/**
 * The stored transports. They are only hints about where to look for the
 * authenticator, so an unreadable value becomes none rather than an error:
 * the ceremony still works, the browser just asks more widely.
 */
export function storedTransports(json: string): PasskeyTransports {
  try {
    const value: unknown = JSON.parse(json);
    const parsed = passkeyTransportsSchema.safeParse(value);
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
