import type { NewOutboxEmail, OutboxStore } from "../../delivery/outbox-store";

/**
 * What the ceremonies keep, and the only way they reach the database: typed
 * rows in, typed rows out. A ceremony never imports the Prisma client or
 * SQL; it is handed an `AuthStore` (AuthDeps.store).
 *
 * Two implementations, one contract (store-contract.test.ts runs it against
 * both, on SQLite and PostgreSQL):
 * - prisma/: the reference, all Prisma. The one to read, and to change
 *   first when the schema changes.
 * - lib/db/hot-path/: the same interface, with the few methods that every
 *   sign-in and every signed-in request calls written in plain SQL for speed
 *   (its README says what that buys); everything else is the reference's.
 * AUTH_STORE (lib/env.ts) chooses: `sql` (the default) or `prisma`.
 *
 * A method that must be atomic (issuing a challenge, a redemption) is one
 * transaction by itself. To make several changes commit together, a
 * ceremony runs them inside `transaction`, on the store it is handed there.
 */
export interface AuthStore {
  readonly provider: "sqlite" | "postgresql";
  readonly emailChallenges: EmailChallengeStore;
  readonly webauthnChallenges: WebAuthnChallengeStore;
  readonly sessions: SessionStore;
  readonly passkeys: PasskeyStore;
  readonly accounts: AccountStore;
  readonly grants: GrantStore;
  readonly totpFactors: TotpFactorStore;
  readonly devices: DeviceStore;
  readonly audit: AuditStore;
  readonly outbox: OutboxStore;
  /** Runs `work` in one transaction: everything done through `tx` commits together, or nothing does if it throws. */
  transaction<T>(work: (tx: AuthStore) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------
// Emailed codes and links: one table, told apart by purpose
// ---------------------------------------------------------------------------

/** sign_in: a link and a code that start a session. The others are code-only. */
export type CodeOnlyPurpose = "reauth";
export type EmailChallengePurpose = "sign_in" | CodeOnlyPurpose;

export interface EmailChallengeRow {
  id: string;
  email: string;
  purpose: EmailChallengePurpose;
  /** pending | redeemed | voided */
  status: string;
  expiresAt: Date;
  /** A sign-in link's only; null (a code-only purpose) never matches a binding. */
  bindingHash: string | null;
  codeHash: string;
  failedCodeAttempts: number;
  locale: string;
  callbackPath: string;
}

/** A new sign-in challenge: unlike the code-only purposes, it has a link token and a binding. */
export interface NewSignInChallenge {
  id: string;
  email: string;
  tokenHash: string;
  codeHash: string;
  bindingHash: string;
  locale: string;
  callbackPath: string;
  requestUserAgent: string;
  requestCountry: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A new code-only challenge, always for an existing account. */
export interface NewCodeChallenge {
  id: string;
  purpose: CodeOnlyPurpose;
  email: string;
  userId: string;
  codeHash: string;
  locale: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface SignInRedemption {
  challengeId: string;
  now: Date;
  /** Proved by a code, whose attempt reserveCodeAttempt took: redeeming gives it back. */
  codeAttemptReserved: boolean;
  email: string;
  locale: string;
  /** The id an account created by this sign-in gets. */
  newUserId: string;
  session: NewSessionRow;
  /**
   * The sign-in's audit event, inserted in the same transaction: built once
   * the account is known, so a session never exists without its event.
   */
  audit?: (redeemed: { userId: string; isNewUser: boolean }) => AuditRow;
}

export interface EmailChallengeStore {
  /**
   * In one transaction: voids the address's pending, unexpired sign-in
   * challenges with the same binding (the new one inherits their highest
   * wrong-code count), links the challenge to an existing account, and
   * writes the challenge and its email (already claimed for the first
   * attempt, which the caller makes at once: lib/delivery/outbox.ts).
   */
  issueSignIn(challenge: NewSignInChallenge, email: NewOutboxEmail): Promise<void>;
  /**
   * In one transaction: voids the account's pending, unexpired challenges of
   * this purpose (the new one inherits their highest wrong-code count) and
   * writes the challenge and its queued email. False, writing nothing, when
   * the account no longer exists. Two calls at once leave one live code.
   */
  issueCode(challenge: NewCodeChallenge, email: NewOutboxEmail): Promise<boolean>;
  /** Only a sign-in link has a token: a code-only challenge is never found here. */
  findByTokenHash(tokenHash: string): Promise<EmailChallengeRow | null>;
  findById(id: string): Promise<EmailChallengeRow | null>;
  /**
   * Takes one code attempt of a pending, unexpired challenge whose
   * wrong-code count is below `limit`, in one conditional update: the count
   * after it, or null when no attempt was left. Compare the code only after
   * this answered a number.
   */
  reserveCodeAttempt(challengeId: string, now: Date, limit: number): Promise<number | null>;
  /**
   * Marks a pending, unexpired challenge redeemed, giving back the attempt
   * its right code reserved. False when it was not redeemable any more.
   */
  consumeByCode(challengeId: string, now: Date): Promise<boolean>;
  /**
   * A sign-in, in one transaction: consumes the challenge as `consumeByCode`
   * does (or without a refund, for a link), creates or refreshes the
   * account, creates the session and inserts its audit event. Null, writing
   * nothing, when the challenge was not redeemable any more.
   */
  redeemSignIn(input: SignInRedemption): Promise<{ userId: string; isNewUser: boolean } | null>;
  /** Housekeeping: deletes challenges that expired before `before`; how many. */
  deleteExpiredBefore(before: Date): Promise<number>;
}

// ---------------------------------------------------------------------------
// WebAuthn challenges
// ---------------------------------------------------------------------------

/**
 * `step_up` and `step_up_totp` are a step-up's challenges (lib/auth/step-up):
 * a passkey's, or one that only ties an authenticator-app code to the
 * session and action it was started for. The `device_` ones are device
 * proofs' (lib/auth/devices): one table holds every single-use challenge
 * the server hands a browser to sign.
 */
export type WebAuthnPurpose =
  | "registration"
  | "authentication"
  | "step_up"
  | "step_up_totp"
  | "device_register"
  | "device_session"
  | "device_step_up"
  | "dbsc_register"
  | "dbsc_refresh";

export interface WebAuthnChallengeRow {
  id: string;
  purpose: WebAuthnPurpose;
  challenge: string;
  userId: string | null;
  /** A step-up's: the session it was started in and the action it is for; null otherwise. */
  sessionId: string | null;
  action: string | null;
  /** A device proof's: the device whose key must sign it; null otherwise. */
  deviceId: string | null;
  /** "" when no browser was bound (an API client). */
  bindingHash: string;
  /** pending | used */
  status: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface WebAuthnChallengeStore {
  insert(row: Omit<WebAuthnChallengeRow, "status" | "deviceId"> & { deviceId?: string | null }): Promise<void>;
  findById(id: string): Promise<WebAuthnChallengeRow | null>;
  /** One conditional update (pending and unexpired → used): true for exactly one of any number of racing calls. */
  spend(id: string, now: Date): Promise<boolean>;
  /** Housekeeping: deletes challenges that expired before `before`; how many. */
  deleteExpiredBefore(before: Date): Promise<number>;
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

export interface NewSessionRow {
  id: string;
  tokenHash: string;
  aal: number;
  /** JSON list of method uses (lib/auth/core/method-uses.ts). */
  methods: string;
  userAgentClass: string;
  country: string | null;
  createdAt: Date;
  expires: Date;
  absoluteExpiresAt: Date;
  /** A risky sign-in to an account with no strong factor: no sensitive action until one is added (lib/auth/policy). */
  restricted: boolean;
  /** Where the sign-in came from, for the next one's impossible-travel check; null when unknown. */
  latitude: number | null;
  longitude: number | null;
}

export interface SessionRow {
  id: string;
  aal: number;
  methods: string;
  userAgentClass: string;
  country: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expires: Date;
  absoluteExpiresAt: Date;
  restricted: boolean;
  binding: SessionBinding;
  /** The device a bound session belongs to; null while unbound. */
  deviceId: string | null;
  /** When a bound session's next device proof is due; null while unbound. */
  proofDueAt: Date | null;
  user: { id: string; email: string; role: string; locale: string | null };
}

/**
 * How a session is tied to the device it started on (lib/auth/devices):
 * not at all, by the WebCrypto device key, or by the browser's own Device
 * Bound Session Credentials.
 */
export type SessionBinding = "none" | "device-key" | "dbsc";

/** A session as its account's session list shows it (Settings → Sessions, AUTH.SESSION.LIST), with its device's name when bound. */
export type SessionListing = Omit<SessionRow, "user" | "proofDueAt"> & { deviceName: string | null };

/** Where and how a session started: what the next sign-in is compared with. */
export interface SignInRecord {
  createdAt: Date;
  userAgentClass: string;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface SessionStore {
  /** The credential that signed the session in (`passkeyId`) ends it when deleted. */
  insert(row: NewSessionRow & { userId: string; passkeyId: string | null }): Promise<void>;
  /** A session and its user by the SHA-256 of its token, expired or not. */
  findByTokenHash(tokenHash: string): Promise<SessionRow | null>;
  findById(id: string): Promise<SessionRow | null>;
  /** Slides a session's idle expiry; a missing row is not an error. */
  touch(sessionId: string, lastSeenAt: Date, expires: Date): Promise<void>;
  /**
   * A new token (hash), with a new method list when given, and the
   * restriction lifted when `restricted: false`; false when the session is gone.
   */
  replaceToken(sessionId: string, change: { tokenHash: string; methods?: string; restricted?: false }): Promise<boolean>;
  /** Ends the session holding this token; its id, or null when there was none. */
  deleteByTokenHash(tokenHash: string): Promise<string | null>;
  /** Ends every session of the user but one; how many ended. */
  deleteOthers(userId: string, keepSessionId: string): Promise<number>;
  /** The account's sessions still alive at `now` (neither idle nor absolute expiry passed), most recently used first. */
  listActiveForUser(userId: string, now: Date): Promise<SessionListing[]>;
  /** Ends one session of the account; another account's, or one already gone, is left alone (false). */
  deleteForUser(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Binds a session to a device, or moves a bound one's next proof: sets
   * its binding, device and when its next proof is due. False when the
   * session is gone.
   */
  /**
   * Binds the session to a device, or renews a binding, only while it is
   * still bound as the caller read it (`from`: the device it was bound to,
   * null for unbound): two browsers racing to bind one session cannot both
   * win. False when the session is gone or was bound otherwise meanwhile.
   */
  bind(
    sessionId: string,
    binding: { binding: Exclude<SessionBinding, "none">; deviceId: string; proofDueAt: Date },
    from: { deviceId: string | null },
  ): Promise<boolean>;
  /** Ends every session of the account bound to the device (a revoked device's); how many ended. */
  deleteForDevice(userId: string, deviceId: string): Promise<number>;
  /** Sessions of the user but one that have not expired at `now`. */
  countOthersActive(userId: string, keepSessionId: string, now: Date): Promise<number>;
  /**
   * The account's sign-ins since `since` whose sessions still exist (ended
   * ones are deleted), newest first, at most `limit`: the risk signals'
   * history (lib/auth/risk/risk-assessor.ts).
   */
  listRecentSignIns(userId: string, since: Date, limit: number): Promise<SignInRecord[]>;
  /**
   * Ends the user's sessions that `passkeyId` signed in, but one; the kept
   * one forgets the passkey. How many ended.
   */
  deleteCreatedByPasskey(userId: string, passkeyId: string, keepSessionId: string): Promise<number>;
}

// ---------------------------------------------------------------------------
// Passkeys and accounts
// ---------------------------------------------------------------------------

export interface PasskeyRow {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  /** Authenticators count to 2^32: a number holds it exactly. */
  counter: number;
  /** JSON list of transports, as the browser reported them. */
  transports: string;
  backupEligible: boolean;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<PasskeyRow, "id" | "lastUsedAt" | "publicKey"> & { publicKey: Uint8Array; aaguid: string | null };

export interface PasskeyStore {
  insert(passkey: NewPasskey): Promise<PasskeyRow>;
  findByCredentialId(credentialId: string): Promise<(PasskeyRow & { user: AccountRow }) | null>;
  /** Another account's passkey is not found. */
  findForUser(id: string, userId: string): Promise<PasskeyRow | null>;
  listForUser(userId: string): Promise<PasskeyRow[]>;
  countForUser(userId: string): Promise<number>;
  /**
   * Stores a use's new counter, conditional on the one it was compared
   * against, so two uses of a cloned credential cannot both pass. False when
   * another use got there first.
   */
  recordUse(id: string, use: { expectedCounter: number; counter: number; at: Date; backedUp: boolean }): Promise<boolean>;
  rename(id: string, userId: string, name: string): Promise<boolean>;
  delete(id: string, userId: string): Promise<boolean>;
}

export interface AccountRow {
  id: string;
  email: string;
  locale: string | null;
}

export interface PasskeyPromptRow {
  shownCount: number;
  dismissals: number;
  lastShownAt: Date | null;
  lastDismissedAt: Date | null;
}

/** What the ceremonies keep about an account beyond its factors (the account itself is made by a sign-in). */
export interface AccountStore {
  /** The account an address signs in to, with its role; null before its first sign-in. */
  findByEmail(email: string): Promise<{ id: string; email: string; role: string } | null>;
  passkeyPrompt(userId: string): Promise<PasskeyPromptRow | null>;
  /** Counts one showing or one dismissal of the passkey prompt at `at`. */
  countPasskeyPrompt(userId: string, event: "shown" | "dismissed", at: Date): Promise<void>;
}

// ---------------------------------------------------------------------------
// Step-up grants and authenticator apps
// ---------------------------------------------------------------------------

export interface GrantRow {
  id: string;
  sessionId: string;
  userId: string;
  action: string;
  /** A StepUpMethod (lib/auth/policy/types.ts): `device` is a trusted device's own confirmation. */
  method: "passkey" | "totp" | "device";
  createdAt: Date;
  expiresAt: Date;
}

/** What step-ups proved (lib/auth/policy reads them): per session, per action, until they expire. */
export interface GrantStore {
  insert(grant: GrantRow): Promise<void>;
  /** The session's grants that have not expired at `now`; a grant never outlives its session (it is deleted with it). */
  listActive(sessionId: string, now: Date): Promise<GrantRow[]>;
  /**
   * Ends every grant of the account, on any of its sessions, that was proved
   * with `method`: what a removed factor of that kind had opened closes with
   * it (lib/auth/factors/factor-removal.ts). How many ended.
   */
  deleteForUserByMethod(userId: string, method: GrantRow["method"]): Promise<number>;
}

export interface TotpFactorRow {
  id: string;
  userId: string;
  /** The secret, sealed (lib/auth/totp/secret-box.ts): never the secret itself. */
  secretSealed: string;
  name: string;
  createdAt: Date;
  /** Null: an enrolment still waiting for its first code. */
  confirmedAt: Date | null;
  lastUsedStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  lastUsedAt: Date | null;
}

export type NewTotpFactor = Pick<TotpFactorRow, "id" | "userId" | "secretSealed" | "name" | "createdAt">;

export interface TotpFactorStore {
  /** A pending enrolment; the account's earlier pending ones are deleted with it (one QR code is live at a time). */
  insertPending(factor: NewTotpFactor): Promise<void>;
  /** Another account's app is not found. */
  findForUser(id: string, userId: string): Promise<TotpFactorRow | null>;
  /** The account's confirmed apps, oldest first. */
  listConfirmed(userId: string): Promise<TotpFactorRow[]>;
  /**
   * Accepts a code of time step `step`, in one conditional update: only
   * when no step at or after it was accepted before (RFC 6238 §5.2: no code
   * twice, nor an older one after a newer) and the app is not locked at
   * `now`. Confirms a pending enrolment and clears the wrong-code count.
   * True for exactly one of any number of racing calls with the same step.
   */
  acceptStep(id: string, step: number, now: Date): Promise<boolean>;
  /**
   * Counts a wrong code; the `limit`-th in a row locks the app until
   * `lockedUntil` (and starts the count again). The count after it; 0
   * when the app no longer exists.
   */
  recordWrongCode(id: string, input: { limit: number; lockedUntil: Date }): Promise<number>;
  delete(id: string, userId: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------
// Devices
// ---------------------------------------------------------------------------

export type DeviceTrust = "new" | "trusted" | "revoked";

export interface DeviceRow {
  id: string;
  userId: string;
  /** JSON of the public JWK (kty, crv, x, y): never a private part. */
  publicKey: string;
  name: string;
  trust: DeviceTrust;
  createdAt: Date;
  lastSeenAt: Date;
  country: string | null;
  trustedAt: Date | null;
  revokedAt: Date | null;
}

export type NewDevice = Pick<DeviceRow, "id" | "userId" | "publicKey" | "name" | "createdAt" | "country">;

export interface SessionProofRecord {
  sessionId: string;
  userId: string;
  deviceId: string;
  binding: Exclude<SessionBinding, "none">;
  /** The device the session was bound to when the proof read it; null for unbound. */
  fromDeviceId: string | null;
  proofDueAt: Date;
  at: Date;
  country: string | null;
  /** A passkey was used in this session: the device becomes trusted (a new one; a trusted one stays so). */
  trust: boolean;
}

/** The account's device keys (lib/auth/devices). A revoked device stays listed, and its key is refused. */
export interface DeviceStore {
  /**
   * Adds the device unless the account already has `maxActive` that are not
   * revoked (false then). Two registrations at once cannot both pass the
   * count: the second waits for the first to commit.
   */
  insert(device: NewDevice, limit: { maxActive: number }): Promise<boolean>;
  /** Another account's device is not found. */
  findForUser(id: string, userId: string): Promise<DeviceRow | null>;
  /** Every device of the account, revoked ones too, most recently seen first. */
  listForUser(userId: string): Promise<DeviceRow[]>;
  /** Devices of the account that are not revoked. */
  countActiveForUser(userId: string): Promise<number>;
  /**
   * What a session proof made with the device writes, all or nothing: the
   * session bound to it (only while still bound as the proof read it, as
   * SessionStore.bind), the device's last use, and, when asked, its trust
   * (new → trusted). `{ bound: false }`, with nothing written, when the
   * session is gone or was bound otherwise meanwhile. Every bound browser
   * sends one each proof interval, so it is one call, not a transaction of
   * several.
   */
  recordSessionProof(proof: SessionProofRecord): Promise<{ bound: true; /** by this proof */ trustedNow: boolean } | { bound: false }>;
  /** new → trusted; false when it is revoked, gone or another account's. */
  markTrusted(id: string, userId: string, at: Date): Promise<boolean>;
  /** False when it is revoked, gone or another account's. */
  rename(id: string, userId: string, name: string): Promise<boolean>;
  /** → revoked, for good; false when it already was, is gone or is another account's. */
  revoke(id: string, userId: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------

export interface AuditRow {
  id: string;
  at: Date;
  command: string;
  outcome: string;
  errorCode: string | null;
  userId: string | null;
  sessionId: string | null;
  ipPrefix: string | null;
  country: string | null;
  deviceClass: string | null;
  latencyMs: number;
  /** JSON object, secrets removed. */
  details: string;
}

export interface AuditStore {
  insert(events: readonly AuditRow[]): Promise<void>;
}
