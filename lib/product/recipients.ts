import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { parseEmailAddress } from "../auth/core/email-address";
import { failure, success, type Result } from "../auth/core/errors";
import { isCountryCode } from "./countries";
import { hasInvisibleCharacters } from "./invisible-characters";

/**
 * Recipient profiles: the people an owner sends files to. One per owner and
 * address (the database's unique key decides, so two parallel saves cannot
 * both win). Every verb takes the owner's id and touches only the owner's
 * rows: another owner's recipient id answers NOT_FOUND, like a missing one.
 */

export interface RecipientDeps {
  db: Db;
  clock: Clock;
}

export interface RecipientInput {
  name: string;
  email: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Recipient extends RecipientInput {
  id: string;
  createdAt: Date;
}

export const MAX_RECIPIENT_NAME_LENGTH = 100;

const recipientSelect = { id: true, name: true, email: true, country: true, createdAt: true } as const;

/** Checks every field and reports each problem beside its field. */
export function parseRecipient(input: RecipientInput): Result<RecipientInput> {
  const fields: Record<string, string> = {};
  const name = input.name.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name === "") fields.name = "NAME_REQUIRED";
  else if ([...name].length > MAX_RECIPIENT_NAME_LENGTH) fields.name = "NAME_TOO_LONG";
  // A bidi override or a hidden control would make the name display as
  // something else beside an email address.
  else if (hasInvisibleCharacters(name)) fields.name = "NAME_INVALID";

  const email = parseEmailAddress(input.email);
  if (!email.ok) fields.email = email.error;

  const country = input.country.trim().toUpperCase();
  if (country === "") fields.country = "COUNTRY_REQUIRED";
  else if (!isCountryCode(country)) fields.country = "COUNTRY_INVALID";

  if (!email.ok || Object.keys(fields).length > 0) return failure("VALIDATION_FAILED", { fields });
  return success({ name, email: email.email, country });
}

export async function createRecipient(
  deps: RecipientDeps,
  ownerId: string,
  input: RecipientInput,
): Promise<Result<Recipient>> {
  const parsed = parseRecipient(input);
  if (!parsed.ok) return parsed;
  if (await emailTaken(deps.db, ownerId, parsed.value.email)) return failure("RECIPIENT_EXISTS");
  try {
    const now = deps.clock.now();
    const recipient = await deps.db.recipient.create({
      data: { ownerId, ...parsed.value, createdAt: now, updatedAt: now },
      select: recipientSelect,
    });
    return success(recipient);
  } catch (error) {
    if (isUniqueViolation(error)) return failure("RECIPIENT_EXISTS");
    throw error;
  }
}

/**
 * Edits a recipient. Its address cannot change once a file was sent to it:
 * "shared with you" is found by address, so a new address would hand the
 * old transfers (and the right to ask for their files) to someone else.
 */
export async function updateRecipient(
  deps: RecipientDeps,
  ownerId: string,
  recipientId: string,
  input: RecipientInput,
): Promise<Result<Recipient>> {
  const parsed = parseRecipient(input);
  if (!parsed.ok) return parsed;
  const current = await deps.db.recipient.findFirst({
    where: { id: recipientId, ownerId },
    select: { email: true, _count: { select: { transfers: true } } },
  });
  if (!current) return failure("NOT_FOUND");
  if (parsed.value.email !== current.email) {
    if (current._count.transfers > 0) return failure("RECIPIENT_IN_USE");
    if (await emailTaken(deps.db, ownerId, parsed.value.email)) return failure("RECIPIENT_EXISTS");
  }
  try {
    const updated = await deps.db.recipient.updateMany({
      where: { id: recipientId, ownerId },
      data: { ...parsed.value, updatedAt: deps.clock.now() },
    });
    if (updated.count !== 1) return failure("NOT_FOUND");
  } catch (error) {
    if (isUniqueViolation(error)) return failure("RECIPIENT_EXISTS");
    throw error;
  }
  const recipient = await findRecipient(deps.db, ownerId, recipientId);
  return recipient ? success(recipient) : failure("NOT_FOUND");
}

/** Deletes a recipient and, with it, the record of what was sent to them. */
export async function deleteRecipient(deps: RecipientDeps, ownerId: string, recipientId: string): Promise<Result<null>> {
  const deleted = await deps.db.recipient.deleteMany({ where: { id: recipientId, ownerId } });
  return deleted.count === 1 ? success(null) : failure("NOT_FOUND");
}

export function listRecipients(db: Db, ownerId: string): Promise<Recipient[]> {
  return db.recipient.findMany({ where: { ownerId }, orderBy: [{ name: "asc" }, { id: "asc" }], select: recipientSelect });
}

export function findRecipient(db: Db, ownerId: string, recipientId: string): Promise<Recipient | null> {
  return db.recipient.findFirst({ where: { id: recipientId, ownerId }, select: recipientSelect });
}

/** Whether files were sent to this recipient, which freezes its address (see updateRecipient). */
export async function recipientHasTransfers(db: Db, ownerId: string, recipientId: string): Promise<boolean> {
  const transfers = await db.fileTransfer.count({ where: { recipientId, recipient: { ownerId } } });
  return transfers > 0;
}

async function emailTaken(db: Db, ownerId: string, email: string): Promise<boolean> {
  const row = await db.recipient.findUnique({ where: { ownerId_email: { ownerId, email } }, select: { id: true } });
  return row !== null;
}
