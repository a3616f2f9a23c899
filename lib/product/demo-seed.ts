import { failure, success, type Result } from "../auth/core/errors";
import { uploadFile, type FileDeps } from "./files";
import { createRecipient, type RecipientInput } from "./recipients";

/**
 * The demo product's starting state for prisma/seed.ts: the demo user owns
 * a small text file, has saved the admin as a recipient and has sent them
 * the file, so every page has something to show (the admin can sign in and
 * ask for access). Running it again changes nothing; if FILES_DIR lost the
 * bytes, the file is uploaded again.
 */

export const DEMO_FILE = {
  name: "welcome.txt",
  text: "Welcome to Trustladder!\n\nThis file was sent to admin@trustladder.test. Sign in as that address to ask for access.\n",
};

export interface DemoSeedInput {
  ownerEmail: string;
  recipient: RecipientInput;
}

export async function seedDemoProduct(deps: FileDeps, input: DemoSeedInput): Promise<Result<{ fileId: string }>> {
  const { db } = deps;
  const owner = await db.user.findUnique({ where: { email: input.ownerEmail }, select: { id: true } });
  if (!owner) return failure("NOT_FOUND");

  const fileId = await demoFile(deps, owner.id);
  if (!fileId.ok) return fileId;

  const recipient =
    (await db.recipient.findUnique({ where: { ownerId_email: { ownerId: owner.id, email: input.recipient.email } } })) ??
    (await createdRecipient(deps, owner.id, input.recipient));
  if (!recipient) return failure("VALIDATION_FAILED");

  const sent = await db.fileTransfer.findFirst({ where: { fileId: fileId.value, recipientId: recipient.id }, select: { id: true } });
  if (!sent) {
    // Recorded without an email: seeding a database must not mail anyone.
    await db.fileTransfer.create({
      data: { fileId: fileId.value, senderId: owner.id, recipientId: recipient.id, createdAt: deps.clock.now() },
    });
  }
  return success({ fileId: fileId.value });
}

async function demoFile(deps: FileDeps, ownerId: string): Promise<Result<string>> {
  const existing = await deps.db.storedFile.findFirst({ where: { ownerId, name: DEMO_FILE.name } });
  if (existing && (await deps.files.get(existing.storageKey))) return success(existing.id);
  // A row whose bytes are gone is replaced (its transfers go with it and are re-created).
  if (existing) await deps.db.storedFile.delete({ where: { id: existing.id } });
  const uploaded = await uploadFile(deps, ownerId, { name: DEMO_FILE.name, body: [new TextEncoder().encode(DEMO_FILE.text)] });
  return uploaded.ok ? success(uploaded.value.id) : uploaded;
}

async function createdRecipient(deps: FileDeps, ownerId: string, recipient: RecipientInput) {
  const created = await createRecipient(deps, ownerId, recipient);
  return created.ok ? created.value : null;
}
