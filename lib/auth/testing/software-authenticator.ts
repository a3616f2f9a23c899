import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

/**
 * A passkey authenticator in software, for tests and the benchmark: it
 * makes real ES256 keys, real authenticator data and real signatures, so
 * the server verifies them exactly as it verifies a phone's. Every knob a
 * hostile test needs (origin, RP ID, flags, counter, ids) can be overridden.
 */

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface AuthenticatorOptions {
  origin: string;
  rpId: string;
  userVerified?: boolean;
  backupEligible?: boolean;
  backedUp?: boolean;
}

export interface Overrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  counter?: number;
  userVerified?: boolean;
  backupEligible?: boolean;
  backedUp?: boolean;
  userHandle?: string;
  /** Answer without a user handle, as a non-discoverable credential does. */
  omitUserHandle?: boolean;
  credentialId?: Buffer;
}

export class SoftwareAuthenticator {
  readonly credentialId: Buffer;
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private userHandle: string | undefined;

  constructor(private readonly options: AuthenticatorOptions, credentialId: Buffer = randomBytes(32)) {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.credentialId = credentialId;
  }

  get id(): string {
    return this.credentialId.toString("base64url");
  }

  register(creation: PublicKeyCredentialCreationOptionsJSON, overrides: Overrides = {}): RegistrationResponseJSON {
    this.userHandle = creation.user.id;
    const credentialId = overrides.credentialId ?? this.credentialId;
    const clientData = this.clientData("webauthn.create", creation.challenge, overrides);
    const attestedCredential = Buffer.concat([
      Buffer.alloc(16), // AAGUID: all zeros, "none" attestation
      uint16(credentialId.length),
      credentialId,
      Buffer.from(isoCBOR.encode(this.coseKey())),
    ]);
    const authData = Buffer.concat([this.authDataHead(overrides, FLAG.AT, overrides.counter ?? 0), attestedCredential]);
    const attestationObject = isoCBOR.encode(
      new Map<string, Uint8Array | string | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    const id = credentialId.toString("base64url");
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: clientData.toString("base64url"),
        attestationObject: Buffer.from(attestationObject).toString("base64url"),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  assert(request: PublicKeyCredentialRequestOptionsJSON, overrides: Overrides = {}): AuthenticationResponseJSON {
    if (overrides.counter === undefined) this.counter += 1;
    const clientData = this.clientData("webauthn.get", request.challenge, overrides);
    const authData = this.authDataHead(overrides, 0, overrides.counter ?? this.counter);
    const signed = Buffer.concat([authData, createHash("sha256").update(clientData).digest()]);
    const signature = sign("sha256", signed, this.privateKey);
    const id = (overrides.credentialId ?? this.credentialId).toString("base64url");
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: clientData.toString("base64url"),
        authenticatorData: authData.toString("base64url"),
        signature: signature.toString("base64url"),
        userHandle: overrides.omitUserHandle ? undefined : (overrides.userHandle ?? this.userHandle),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  private clientData(type: string, challenge: string, overrides: Overrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.options.origin,
        crossOrigin: false,
      }),
    );
  }

  private authDataHead(overrides: Overrides, extraFlags: number, counter: number): Buffer {
    const rpIdHash = createHash("sha256").update(overrides.rpId ?? this.options.rpId).digest();
    const uv = overrides.userVerified ?? this.options.userVerified ?? true;
    const be = overrides.backupEligible ?? this.options.backupEligible ?? false;
    const bs = overrides.backedUp ?? this.options.backedUp ?? false;
    const flags = FLAG.UP | (uv ? FLAG.UV : 0) | (be ? FLAG.BE : 0) | (bs ? FLAG.BS : 0) | extraFlags;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter >>> 0);
    return Buffer.concat([rpIdHash, Buffer.from([flags]), counterBytes]);
  }

  /** The public key as a COSE_Key (RFC 9053): EC2, ES256, P-256. */
  private coseKey(): Map<number, number | Uint8Array> {
    const jwk = this.publicKey.export({ format: "jwk" });
    return new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"))],
      [-3, new Uint8Array(Buffer.from(jwk.y ?? "", "base64url"))],
    ]);
  }
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
