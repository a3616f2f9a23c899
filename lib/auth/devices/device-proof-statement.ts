/**
 * The statement a device key signs (docs/device-proof.md), with nothing
 * server-only in it: the browser's key (components/auth/device-key.ts)
 * builds its text with the same function the server checks it with
 * (device-proof.ts), so the two cannot drift apart.
 */

export const DEVICE_PROOF_VERSION = "trustladder-device-proof/v1";

export const DEVICE_PROOF_PURPOSES = ["register", "session", "step_up"] as const;
export type DeviceProofPurpose = (typeof DEVICE_PROOF_PURPOSES)[number];

export interface DeviceProofStatement {
  /** The site's origin exactly as the browser reports it: `https://app.example.com`, no path, no trailing slash. */
  origin: string;
  purpose: DeviceProofPurpose;
  /** The server's challenge, base64url, as it was issued. */
  challenge: string;
  /** The session the proof is for (`session.id` from AUTH.SESSION.GET). */
  sessionId: string;
}

/**
 * The signed text: five lines joined by "\n", no trailing newline. A
 * field that could add a line of its own is refused, so no statement can
 * be read as another.
 */
export function deviceProofText(statement: DeviceProofStatement): string {
  const lines = [DEVICE_PROOF_VERSION, statement.origin, statement.purpose, statement.challenge, statement.sessionId];
  if (lines.some((line) => line.length === 0 || /[\r\n]/.test(line))) {
    throw new Error("device proof: every line must be non-empty and single-line");
  }
  return lines.join("\n");
}
