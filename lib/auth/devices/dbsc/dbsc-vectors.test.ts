import { createHmac, webcrypto } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { readSessionResponseHeader } from "./dbsc-headers";
import { verifyRefreshJws, verifyRegistrationJws, type DbscPublicJwk } from "./dbsc-jws";

/**
 * DBSC proofs made here as a browser makes them (WebCrypto keys, ES256 and
 * RS256), and every way a proof made wrongly or for something else must be
 * refused, each with its own reason. The fixed vectors at the end were
 * generated once with fixed keys: a change in parsing shows up there as a
 * changed expectation, not as a silently different key or thumbprint.
 */

const subtle = webcrypto.subtle;
const REGISTRATION_CHALLENGE = "registrationChallenge-0001";
const REFRESH_CHALLENGE = "refreshChallenge-000000001";
const SESSION_ID = "session-0193a5c27d1e7b4a9c3d";
const REGISTER_URL = "https://app.example.com/dbsc/register";

type JsonObject = Record<string, unknown>;
const encode = (value: JsonObject | string) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

async function signJws(alg: "ES256" | "RS256", privateKey: webcrypto.CryptoKey, header: JsonObject, payload: JsonObject | string) {
  const input = `${encode(header)}.${encode(payload)}`;
  const params = alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
  return `${input}.${Buffer.from(await subtle.sign(params, privateKey, Buffer.from(input))).toString("base64url")}`;
}

/** A browser's session key; `extractable` only where a test needs the private JWK. */
async function sessionKey(kind: "ES256" | "RS256" | "P-384" | "RSA-1024" = "ES256", extractable = false) {
  const pair =
    kind === "ES256" || kind === "P-384"
      ? await subtle.generateKey({ name: "ECDSA", namedCurve: kind === "ES256" ? "P-256" : "P-384" }, extractable, ["sign", "verify"])
      : await subtle.generateKey(
          { name: "RSASSA-PKCS1-v1_5", modulusLength: kind === "RS256" ? 2048 : 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
          extractable,
          ["sign", "verify"],
        );
  const exported = await subtle.exportKey("jwk", pair.publicKey);
  const jwk = (exported.kty === "EC" ? { kty: "EC", crv: exported.crv, x: exported.x, y: exported.y } : { kty: "RSA", n: exported.n, e: exported.e }) as DbscPublicJwk;
  const alg = kind === "RS256" || kind === "RSA-1024" ? "RS256" : "ES256";
  return {
    jwk,
    pair,
    sign: (header: JsonObject, payload: JsonObject | string) => signJws(alg, pair.privateKey, { alg, typ: "dbsc+jwt", ...header }, payload),
    register: (payload: JsonObject | string = { jti: REGISTRATION_CHALLENGE }) => signJws(alg, pair.privateKey, { alg, typ: "dbsc+jwt", jwk }, payload),
  };
}

const registration = (jws: string, more: Partial<Parameters<typeof verifyRegistrationJws>[0]> = {}) =>
  verifyRegistrationJws({ jws, expectedChallenge: REGISTRATION_CHALLENGE, ...more });
const refresh = (jws: string, publicKey: unknown, more: Partial<Parameters<typeof verifyRefreshJws>[0]> = {}) =>
  verifyRefreshJws({ jws, publicKey, expectedChallenges: [REFRESH_CHALLENGE], sessionId: SESSION_ID, ...more });

describe("a registration proof", () => {
  it.each(["ES256", "RS256"] as const)("accepts %s, answering the public key alone and its RFC 7638 thumbprint", async (kind) => {
    const key = await sessionKey(kind);
    const result = await registration(await key.register());
    expect(result).toEqual({ ok: true, algorithm: kind, publicKey: key.jwk, thumbprint: await calculateJwkThumbprint(key.jwk, "sha256") });
  });

  it.each(["Secure-Session-Response", "Sec-Session-Response"])("is read from %s, bare (Chrome) or as an sf-string (the draft)", async (name) => {
    const key = await sessionKey();
    const jws = await key.register();
    for (const value of [jws, `"${jws}"`]) {
      const read = readSessionResponseHeader(new Headers({ [name]: value }));
      expect(read).toEqual({ ok: true, value: jws, headerName: name });
      expect((await registration(read.ok ? read.value : "")).ok).toBe(true);
    }
  });

  it("checks `authorization` both ways: the value issued, and none when none was", async () => {
    const key = await sessionKey();
    const withAuthorization = await key.register({ jti: REGISTRATION_CHALLENGE, authorization: "code-1" });
    expect((await registration(withAuthorization, { expectedAuthorization: "code-1" })).ok).toBe(true);
    expect(await registration(withAuthorization, { expectedAuthorization: "code-2" })).toEqual({ ok: false, reason: "authorization_mismatch" });
    expect(await registration(withAuthorization)).toEqual({ ok: false, reason: "authorization_mismatch" });
    expect(await registration(await key.register(), { expectedAuthorization: "code-1" })).toEqual({ ok: false, reason: "authorization_mismatch" });
  });

  it("reads the earlier drafts' shape (`key`, `aud`, `iat` in the payload), holding `aud` to the endpoint", async () => {
    const key = await sessionKey();
    const legacy = await key.sign({}, { aud: REGISTER_URL, jti: REGISTRATION_CHALLENGE, iat: 1725579055, key: key.jwk });
    expect((await registration(legacy, { expectedAudience: REGISTER_URL })).ok).toBe(true);
    expect(await registration(legacy, { expectedAudience: "https://evil.example/dbsc/register" })).toEqual({ ok: false, reason: "audience_mismatch" });
    expect(await registration(legacy)).toEqual({ ok: false, reason: "audience_mismatch" });
  });

  it("takes a key carried in several places only when it is the same key", async () => {
    const key = await sessionKey();
    const other = await sessionKey();
    expect((await registration(await key.sign({ jwk: key.jwk }, { jti: REGISTRATION_CHALLENGE, key: key.jwk }))).ok).toBe(true);
    expect((await registration(await key.sign({}, { jti: REGISTRATION_CHALLENGE, jwk: key.jwk }))).ok).toBe(true);
    expect(await registration(await key.sign({}, { jti: REGISTRATION_CHALLENGE, key: key.jwk, jwk: other.jwk }))).toEqual({ ok: false, reason: "conflicting_keys" });
    expect(await registration(await key.sign({ jwk: key.jwk }, { jti: REGISTRATION_CHALLENGE, key: other.jwk }))).toEqual({ ok: false, reason: "conflicting_keys" });
    expect(await registration(await key.sign({}, { jti: REGISTRATION_CHALLENGE }))).toEqual({ ok: false, reason: "missing_key" });
  });

  it("refuses a replayed or mismatched challenge, and an empty expectation", async () => {
    const key = await sessionKey();
    const jws = await key.register();
    expect(await registration(jws, { expectedChallenge: "anotherChallenge-000000001" })).toEqual({ ok: false, reason: "challenge_mismatch" });
    expect(await registration(await key.register({ jti: "" }), { expectedChallenge: "" })).toEqual({ ok: false, reason: "challenge_mismatch" });
    expect(await registration(await key.register({}))).toEqual({ ok: false, reason: "challenge_mismatch" });
  });

  it("refuses alg none, with or without a signature", async () => {
    const key = await sessionKey();
    const unsigned = `${encode({ alg: "none", typ: "dbsc+jwt", jwk: key.jwk })}.${encode({ jti: REGISTRATION_CHALLENGE })}`;
    expect(await registration(`${unsigned}.`)).toEqual({ ok: false, reason: "unsupported_algorithm" });
    expect(await registration(`${unsigned}.AAAA`)).toEqual({ ok: false, reason: "unsupported_algorithm" });
  });

  it("refuses HS256 keyed with the public key (algorithm confusion)", async () => {
    const key = await sessionKey();
    const input = `${encode({ alg: "HS256", typ: "dbsc+jwt", jwk: key.jwk })}.${encode({ jti: REGISTRATION_CHALLENGE })}`;
    const mac = createHmac("sha256", JSON.stringify(key.jwk)).update(input).digest("base64url");
    expect(await registration(`${input}.${mac}`)).toEqual({ ok: false, reason: "unsupported_algorithm" });
  });

  it("refuses other curves, short RSA, off-curve points and private keys", async () => {
    const p384 = await sessionKey("P-384");
    expect(await registration(await p384.register())).toEqual({ ok: false, reason: "unsupported_key" });
    const rsa1024 = await sessionKey("RSA-1024");
    expect(await registration(await rsa1024.register())).toEqual({ ok: false, reason: "unsupported_key" });

    const key = await sessionKey();
    const offCurve = { ...key.jwk, y: Buffer.alloc(32, 1).toString("base64url") };
    expect(await registration(await key.sign({ jwk: offCurve }, { jti: REGISTRATION_CHALLENGE }))).toEqual({ ok: false, reason: "unsupported_key" });

    const extractable = await sessionKey("ES256", true);
    const privateJwk = await subtle.exportKey("jwk", extractable.pair.privateKey);
    expect(await registration(await extractable.sign({ jwk: privateJwk }, { jti: REGISTRATION_CHALLENGE }))).toEqual({ ok: false, reason: "private_key" });
  });

  it("refuses a header alg that disagrees with the key", async () => {
    const ec = await sessionKey();
    const rsa = await sessionKey("RS256");
    const mismatch = { ok: false, reason: "algorithm_key_mismatch" };
    expect(await registration(await rsa.sign({ jwk: ec.jwk }, { jti: REGISTRATION_CHALLENGE }))).toEqual(mismatch);
    expect(await registration(await ec.sign({ jwk: { ...ec.jwk, alg: "ES384" } }, { jti: REGISTRATION_CHALLENGE }))).toEqual(mismatch);
  });

  it("refuses a tampered payload, a truncated token and another key's signature", async () => {
    const key = await sessionKey();
    const [header, , signature] = (await key.register()).split(".");
    const tampered = `${header}.${encode({ jti: "attackerChallenge-0000001" })}.${signature}`;
    expect(await registration(tampered, { expectedChallenge: "attackerChallenge-0000001" })).toEqual({ ok: false, reason: "bad_signature" });
    const jws = await key.register();
    expect(await registration(jws.slice(0, jws.lastIndexOf(".")))).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(jws.slice(0, -4))).toEqual({ ok: false, reason: "bad_signature" });
    const other = await sessionKey();
    expect(await registration(`${jws.slice(0, jws.lastIndexOf("."))}.${(await other.register()).split(".")[2]}`)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses malformed encodings, another typ, crit, and an oversized token", async () => {
    const key = await sessionKey();
    const valid = await key.register();
    const [header, payload, signature] = valid.split(".");
    expect(await registration(await key.register("not json"))).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(await key.sign({ jwk: key.jwk }, "[1,2]"))).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(`${header}=.${payload}.${signature}`)).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(`${header}.${payload}+.${signature}`)).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(`${header}.${payload}.${signature}.x`)).toEqual({ ok: false, reason: "malformed" });
    expect(await registration(await key.sign({ typ: "JWT", jwk: key.jwk }, { jti: REGISTRATION_CHALLENGE }))).toEqual({ ok: false, reason: "wrong_type" });
    expect(await registration(await key.sign({ jwk: key.jwk, crit: ["exp"], exp: 1 }, { jti: REGISTRATION_CHALLENGE }))).toEqual({ ok: false, reason: "malformed" });
    const padded = await key.register({ jti: REGISTRATION_CHALLENGE, padding: "x".repeat(8 * 1024) });
    expect(await registration(padded)).toEqual({ ok: false, reason: "too_large" });
  });
});

describe("a refresh proof", () => {
  it("is accepted when the stored key signed an expected challenge, naming which", async () => {
    const key = await sessionKey();
    const jws = await key.sign({}, { jti: REFRESH_CHALLENGE });
    const result = await refresh(jws, key.jwk, { expectedChallenges: ["newerChallenge-0000000001", REFRESH_CHALLENGE] });
    expect(result).toEqual({ ok: true, challenge: REFRESH_CHALLENGE, thumbprint: await calculateJwkThumbprint(key.jwk, "sha256") });
    const rsa = await sessionKey("RS256");
    expect((await refresh(await rsa.sign({}, { jti: REFRESH_CHALLENGE }), rsa.jwk)).ok).toBe(true);
  });

  it("refuses another key's signature, even when the token carries that key", async () => {
    const stored = await sessionKey();
    const thief = await sessionKey();
    expect(await refresh(await thief.sign({}, { jti: REFRESH_CHALLENGE }), stored.jwk)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await refresh(await thief.sign({ jwk: thief.jwk }, { jti: REFRESH_CHALLENGE, key: thief.jwk }), stored.jwk)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a replayed challenge, another session's `sub`, and a wrong `aud`", async () => {
    const key = await sessionKey();
    expect(await refresh(await key.sign({}, { jti: "spentChallenge-00000000001" }), key.jwk)).toEqual({ ok: false, reason: "challenge_mismatch" });
    expect(await refresh(await key.sign({}, { jti: REFRESH_CHALLENGE }), key.jwk, { expectedChallenges: [] })).toEqual({ ok: false, reason: "challenge_mismatch" });
    expect((await refresh(await key.sign({}, { jti: REFRESH_CHALLENGE, sub: SESSION_ID }), key.jwk)).ok).toBe(true);
    expect(await refresh(await key.sign({}, { jti: REFRESH_CHALLENGE, sub: "otherSession-00000000001" }), key.jwk)).toEqual({ ok: false, reason: "session_mismatch" });
    const aud = await key.sign({}, { jti: REFRESH_CHALLENGE, aud: "https://app.example.com/dbsc/refresh" });
    expect((await refresh(aud, key.jwk, { expectedAudience: "https://app.example.com/dbsc/refresh" })).ok).toBe(true);
    expect(await refresh(aud, key.jwk, { expectedAudience: "https://evil.example/dbsc/refresh" })).toEqual({ ok: false, reason: "audience_mismatch" });
  });

  it("refuses HS256 keyed with the stored public key, an RS256 token for an EC key, and a bad stored key", async () => {
    const key = await sessionKey();
    const input = `${encode({ alg: "HS256", typ: "dbsc+jwt" })}.${encode({ jti: REFRESH_CHALLENGE })}`;
    const mac = createHmac("sha256", JSON.stringify(key.jwk)).update(input).digest("base64url");
    expect(await refresh(`${input}.${mac}`, key.jwk)).toEqual({ ok: false, reason: "unsupported_algorithm" });
    const rsa = await sessionKey("RS256");
    expect(await refresh(await rsa.sign({}, { jti: REFRESH_CHALLENGE }), key.jwk)).toEqual({ ok: false, reason: "algorithm_key_mismatch" });
    const jws = await key.sign({}, { jti: REFRESH_CHALLENGE });
    expect(await refresh(jws, { ...key.jwk, d: "AAAA" })).toEqual({ ok: false, reason: "private_key" });
    expect(await refresh(jws, { kty: "EC", crv: "P-256", x: "short", y: "short" })).toEqual({ ok: false, reason: "unsupported_key" });
  });
});

// Generated once (fixed keys, then discarded private halves); see the comment at the top.
const FIXED_EC_KEY: DbscPublicJwk = { kty: "EC", crv: "P-256", x: "Qc_Fi2VTTOTXdkeOmgeiLS9rdPzYWGyuJfdXyj6fxnc", y: "F43-RlAejJEGGD36Jc2by0v80zJiGX_ZXWldghyNyu8" };
const FIXED_EC_THUMBPRINT = "2JIOHE3wU0g69ThL0c318Y2G9Xlbg3VZC0jkFXZRg04";
const FIXED_RSA_KEY: DbscPublicJwk = {
  kty: "RSA",
  n: "qLaiVEBOjqxUiw0gaaA6w0HKeH1-eoXdA0VjQCJ-cMRv36EQzx3AY-Pc47HakGrT1UCYqcZVsPWC49I7O6GbD1KGAED41I8k2zHh7WB9oAneepB6bCKH_ccQPwq1Z9BcnohnwYFLyql-HZm4qOZ2KJzvL3ojJbD09IW_spDvnBDaHuS-0eXBaiMfB_JReKBOKiWXugBrd0YkwRoy3v5fh0TyStdp225BX73FSuXUd_pIUsemVMbZMzmJi-qbt4EZHAqZ4gv8dXSSlOiRNJsjeAfS9smHiS1muKzJz5ieBlxgpo1_1CcfpozmBGXiTBk9-oiZq529CpFZiiIvqj_Zdw",
  e: "AQAB",
};
const FIXED_RSA_THUMBPRINT = "xq3v9tohYHHOWUM8nIFY7lf6cP8WuOWvZpOFi7sNfqQ";
const FIXED_ES256_REGISTRATION =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRic2Mrand0IiwiandrIjp7Imt0eSI6IkVDIiwiY3J2IjoiUC0yNTYiLCJ4IjoiUWNfRmkyVlRUT1RYZGtlT21nZWlMUzlyZFB6WVdHeXVKZmRYeWo2ZnhuYyIsInkiOiJGNDMtUmxBZWpKRUdHRDM2SmMyYnkwdjgwekppR1hfWlhXbGRnaHlOeXU4In19.eyJqdGkiOiJmaXhlZFJlZ2lzdHJhdGlvbkNoYWxsZW5nZTAwMDEiLCJhdXRob3JpemF0aW9uIjoiZml4ZWQtYXV0aG9yaXphdGlvbiJ9.pEDyVpKvaNU387brT0j_V_pm7OfCHZQesvCGjr--MW3J-WnTgERxyYhvmL9yNfMxel1oS146foVEk96QLPT1TQ";
const FIXED_ES256_REFRESH =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRic2Mrand0In0.eyJqdGkiOiJmaXhlZFJlZnJlc2hDaGFsbGVuZ2UwMDAwMDAwMSJ9.vh6UJM3P6sp0z3KsJwJL1yUv3MgbIbnsfNM3Yr80BTz4CKvAlRs6p4_4xvpgJAZAxmTk6huIVd0Iffnzf-b9aw";
const FIXED_ES256_LEGACY_REGISTRATION =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRic2Mrand0In0.eyJhdWQiOiJodHRwczovL2FwcC5leGFtcGxlLmNvbS9kYnNjL3JlZ2lzdGVyIiwianRpIjoiZml4ZWRSZWdpc3RyYXRpb25DaGFsbGVuZ2UwMDAxIiwiaWF0IjoxNzI1NTc5MDU1LCJrZXkiOnsia3R5IjoiRUMiLCJjcnYiOiJQLTI1NiIsIngiOiJRY19GaTJWVFRPVFhka2VPbWdlaUxTOXJkUHpZV0d5dUpmZFh5ajZmeG5jIiwieSI6IkY0My1SbEFlakpFR0dEMzZKYzJieTB2ODB6SmlHWF9aWFdsZGdoeU55dTgifX0.bIIuTnlXOewZJxmaYAqd547MKkMdeUS3On1PDYU9B8oCadHRx9HDwfffY1oF0eUi_KpztkOWMMhzTZ5HixEjGQ";
const FIXED_RS256_REGISTRATION =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6ImRic2Mrand0IiwiandrIjp7Imt0eSI6IlJTQSIsIm4iOiJxTGFpVkVCT2pxeFVpdzBnYWFBNncwSEtlSDEtZW9YZEEwVmpRQ0otY01SdjM2RVF6eDNBWS1QYzQ3SGFrR3JUMVVDWXFjWlZzUFdDNDlJN082R2JEMUtHQUVENDFJOGsyekhoN1dCOW9BbmVlcEI2YkNLSF9jY1FQd3ExWjlCY25vaG53WUZMeXFsLUhabTRxT1oyS0p6dkwzb2pKYkQwOUlXX3NwRHZuQkRhSHVTLTBlWEJhaU1mQl9KUmVLQk9LaVdYdWdCcmQwWWt3Um95M3Y1ZmgwVHlTdGRwMjI1Qlg3M0ZTdVhVZF9wSVVzZW1WTWJaTXptSmktcWJ0NEVaSEFxWjRndjhkWFNTbE9pUk5Kc2plQWZTOXNtSGlTMW11S3pKejVpZUJseGdwbzFfMUNjZnBvem1CR1hpVEJrOS1vaVpxNTI5Q3BGWmlpSXZxal9aZHciLCJlIjoiQVFBQiJ9fQ.eyJqdGkiOiJmaXhlZFJlZ2lzdHJhdGlvbkNoYWxsZW5nZTAwMDEifQ.hGfeAXjwbBdYKaJB4Sfa9UoDJTjDGMFy_2y1tv_wp4df7q-C8aOO_WogaWsKfLSlti9-hfsK0DA_hpenPXu1YtosnnJYwiAUQ7n-yF_-I0Kb00BYeaO1stcTONe73V1EkD172_-uY2a7j_WDd5HMv7xPO6GasoO-YJPBs15dO9Wl2jPh4wojYaGAA-PPzUeIET3X_G4eWCqeO76VKgde0sjtabFIeCgZNbe7mSNXtKsg1Ed_8wJ0wPI8CqBix4ws4VuwOSbDaGa6oNBpqYhpD0xHtCP8lGEGgjcoHwijIPZHMIXPKokbs2yEEckFwOoZOkU_mQd9jvqDMN18HtEPkA";

const SPEC_EXAMPLE_RESPONSE =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRic2Mrand0In0.eyJhdWQiOiJodHRwczovL2V4YW1wbGUuY29tL3JlZyIsImp0aSI6ImN2IiwiaWF0IjoiMTcyNTU3OTA1NSIsImp3ayI6eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6IjZfR0Iydm9RMHFyb01oNk9sREZDRlNfU0pyaVFpMVBUdnZCT2hHWjNiSEkiLCJ5IjoiSWVnT0pVTHlFN1N4SF9DZDFLQ0VSN2xXQnZHRkhRLWgweHlqelVqRUlXRSJ9LCJhdXRob3JpemF0aW9uIjoiYWMifQ.6Fb_vVBDmfNghQiBmIGe8o7tBfYPbPCywhQruP0vIhxgmcJmuNTaMHeVn_M8ZnOm1_bzIitbZqCWEn-1Qzmtyw";

const FIXED_REGISTRATION = { expectedChallenge: "fixedRegistrationChallenge0001" };
const FIXED_REFRESH = { expectedChallenges: ["fixedRefreshChallenge00000001"], sessionId: "fixedSession-0193a5c27d1e7b4a" };
const refused = (reason: string) => ({ ok: false, reason });

describe("fixed vectors", () => {
  it("verify a current-draft ES256 registration and its refresh", async () => {
    const registered = await verifyRegistrationJws({ jws: FIXED_ES256_REGISTRATION, ...FIXED_REGISTRATION, expectedAuthorization: "fixed-authorization" });
    expect(registered).toEqual({ ok: true, algorithm: "ES256", publicKey: FIXED_EC_KEY, thumbprint: FIXED_EC_THUMBPRINT });
    const refreshed = await verifyRefreshJws({ jws: FIXED_ES256_REFRESH, publicKey: FIXED_EC_KEY, ...FIXED_REFRESH });
    expect(refreshed).toEqual({ ok: true, challenge: "fixedRefreshChallenge00000001", thumbprint: FIXED_EC_THUMBPRINT });
  });

  it("verify an earlier-draft ES256 registration and a current RS256 one", async () => {
    const legacy = await verifyRegistrationJws({
      jws: FIXED_ES256_LEGACY_REGISTRATION,
      ...FIXED_REGISTRATION,
      expectedAudience: "https://app.example.com/dbsc/register",
    });
    expect(legacy).toEqual({ ok: true, algorithm: "ES256", publicKey: FIXED_EC_KEY, thumbprint: FIXED_EC_THUMBPRINT });
    const rsa = await verifyRegistrationJws({ jws: FIXED_RS256_REGISTRATION, ...FIXED_REGISTRATION });
    expect(rsa).toEqual({ ok: true, algorithm: "RS256", publicKey: FIXED_RSA_KEY, thumbprint: FIXED_RSA_THUMBPRINT });
  });

  it("refuse the same tokens for another challenge or as the other kind of proof", async () => {
    const otherChallenge = { expectedChallenge: "fixedRefreshChallenge00000001" };
    expect(await verifyRegistrationJws({ jws: FIXED_ES256_REGISTRATION, ...otherChallenge, expectedAuthorization: "fixed-authorization" })).toEqual(
      refused("challenge_mismatch"),
    );
    expect(await verifyRegistrationJws({ jws: FIXED_ES256_REFRESH, ...otherChallenge })).toEqual(refused("missing_key"));
    // The draft's own example (§ "Secure-Session-Response HTTP header field") dates from 2024, with the key as a
    // `jwk` claim in the payload; the key is read, but the example's signature is illustrative, not valid.
    expect(await verifyRegistrationJws({ jws: SPEC_EXAMPLE_RESPONSE, expectedChallenge: "cv", expectedAuthorization: "ac" })).toEqual(refused("bad_signature"));
    expect(await verifyRefreshJws({ jws: FIXED_ES256_REFRESH, publicKey: FIXED_RSA_KEY, ...FIXED_REFRESH })).toEqual(refused("algorithm_key_mismatch"));
  });
});
