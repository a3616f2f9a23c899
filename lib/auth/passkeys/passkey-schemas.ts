import { z } from "zod";
import { passkeyTransportsSchema } from "./passkey-transports";

/**
 * The browser library's JSON, checked for shape before any decoding: sizes
 * are capped so a huge CBOR blob never reaches the parser, and anything
 * that is not base64url is refused as a validation error.
 */
const MAX_ENCODED = 16 * 1024;
const base64url = z.string().max(MAX_ENCODED).regex(/^[A-Za-z0-9_-]*$/, "NOT_BASE64URL");
// 1023 bytes of credential id (WA §7.1) are 1364 base64url characters.
const credentialId = base64url.min(1).max(1400);
const attachment = z.enum(["platform", "cross-platform"]).optional();
const extensions = z.record(z.string(), z.unknown()).default({});

export const registrationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url.min(1),
    attestationObject: base64url.min(1),
    transports: passkeyTransportsSchema.optional(),
  }),
  clientExtensionResults: extensions,
  authenticatorAttachment: attachment,
});

export const authenticationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url.min(1),
    authenticatorData: base64url.min(37),
    signature: base64url.min(1),
    userHandle: base64url.max(128).optional(),
  }),
  clientExtensionResults: extensions,
  authenticatorAttachment: attachment,
});
