import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { failure, success, type Result } from "../auth/core/errors";

/**
 * Access requests: a person a file was sent to (signed in with that exact
 * address) asks its owner for access; the owner approves or declines. Once
 * approved, lib/product/files.ts `openFile` lets the requester download it.
 *
 * "Was this sent to me?" is answered by the canonical address of the
 * signed-in account against the recipient's canonical address, both made by
 * parseEmailAddress, so spelling variants cannot sneak past it.
 */

export type AccessStatus = "pending" | "approved" | "declined";
export type AccessDecision = "approve" | "decline";

export interface AccessRequestDeps {
  db: Db;
  clock: Clock;
}

export interface SharedFile {
  fileId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  senderEmail: string;
  /** The latest time it was sent to this address. */
  sentAt: Date;
  /** This user's request for it, if they made one. */
  request: { id: string; status: AccessStatus } | null;
}

export interface IncomingRequest {
  id: string;
  fileId: string;
  fileName: string;
  requesterEmail: string;
  status: AccessStatus;
  createdAt: Date;
}

export interface RequestOutcome {
  requestId: string;
  fileId: string;
  status: AccessStatus;
  /** False when nothing changed (asked or decided twice): the same answer, not an error. */
  changed: boolean;
}

/** Each list on the requests page shows at most this many; paging is future work. */
export const MAX_LISTED_REQUESTS = 200;

export async function listSharedWithMe(db: Db, user: { id: string; email: string }): Promise<SharedFile[]> {
  const transfers = await db.fileTransfer.findMany({
    where: sentTo(user),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED_REQUESTS,
    select: {
      createdAt: true,
      sender: { select: { email: true } },
      file: { select: { id: true, name: true, contentType: true, sizeBytes: true } },
    },
  });
  // A file sent to the same address twice is listed once, at its latest sending.
  const latestByFile = new Map<string, (typeof transfers)[number]>();
  for (const transfer of transfers) if (!latestByFile.has(transfer.file.id)) latestByFile.set(transfer.file.id, transfer);

  const requests = await db.accessRequest.findMany({
    where: { requesterId: user.id, fileId: { in: [...latestByFile.keys()] } },
    select: { id: true, fileId: true, status: true },
  });
  const requestByFile = new Map(requests.map((request) => [request.fileId, request]));
  return [...latestByFile.values()].map(({ file, sender, createdAt }) => {
    const request = requestByFile.get(file.id);
    return {
      fileId: file.id,
      fileName: file.name,
      contentType: file.contentType,
      sizeBytes: file.sizeBytes,
      senderEmail: sender.email,
      sentAt: createdAt,
      request: request ? { id: request.id, status: accessStatusOf(request.status) } : null,
    };
  });
}

/** Asks for access to a file sent to the requester's address. Asking again returns the first request. */
export async function requestAccess(
  deps: AccessRequestDeps,
  requester: { id: string; email: string },
  fileId: string,
): Promise<Result<RequestOutcome>> {
  const { db } = deps;
  const transfer = await db.fileTransfer.findFirst({ where: { fileId, ...sentTo(requester) }, select: { id: true } });
  if (!transfer) return failure("NOT_FOUND");

  const existing = await findOwnRequest(db, fileId, requester.id);
  if (existing) return success({ ...existing, changed: false });
  try {
    const created = await db.accessRequest.create({
      data: { fileId, requesterId: requester.id, status: "pending", createdAt: deps.clock.now() },
      select: { id: true },
    });
    return success({ requestId: created.id, fileId, status: "pending", changed: true });
  } catch (error) {
    // A parallel click created it first: the same request, not a second one.
    const raced = isUniqueViolation(error) ? await findOwnRequest(db, fileId, requester.id) : null;
    if (raced) return success({ ...raced, changed: false });
    throw error;
  }
}

export async function listIncomingRequests(db: Db, ownerId: string): Promise<IncomingRequest[]> {
  const rows = await db.accessRequest.findMany({
    where: { file: { ownerId } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED_REQUESTS,
    select: {
      id: true,
      status: true,
      createdAt: true,
      file: { select: { id: true, name: true } },
      requester: { select: { email: true } },
    },
  });
  const incoming = rows.map((row) => ({
    id: row.id,
    fileId: row.file.id,
    fileName: row.file.name,
    requesterEmail: row.requester.email,
    status: accessStatusOf(row.status),
    createdAt: row.createdAt,
  }));
  // Waiting decisions first; the rest stay newest first (the sort is stable).
  return incoming.sort((a, b) => Number(b.status === "pending") - Number(a.status === "pending"));
}

/**
 * The owner's decision. Deciding what is already decided answers the same
 * success with `changed: false` (a double click, a second tab), and an
 * approved request can later be declined to take access back.
 */
export async function decideAccessRequest(
  deps: AccessRequestDeps,
  ownerId: string,
  requestId: string,
  decision: AccessDecision,
): Promise<Result<RequestOutcome>> {
  const { db } = deps;
  const target: AccessStatus = decision === "approve" ? "approved" : "declined";
  // Only requests for the owner's own files: anyone else's id is NOT_FOUND.
  const request = await db.accessRequest.findFirst({
    where: { id: requestId, file: { ownerId } },
    select: { id: true, fileId: true, status: true },
  });
  if (!request) return failure("NOT_FOUND");
  if (request.status === target) return success({ requestId, fileId: request.fileId, status: target, changed: false });

  // Conditional on the status we read, so two racing decisions cannot both claim a change.
  const updated = await db.accessRequest.updateMany({
    where: { id: requestId, status: request.status },
    data: { status: target, decidedAt: deps.clock.now() },
  });
  if (updated.count === 1) return success({ requestId, fileId: request.fileId, status: target, changed: true });
  const now = await db.accessRequest.findUnique({ where: { id: requestId }, select: { status: true } });
  if (!now) return failure("NOT_FOUND");
  return success({ requestId, fileId: request.fileId, status: accessStatusOf(now.status), changed: false });
}

/** Transfers of files to this address, from anyone but the user themselves. */
function sentTo(user: { id: string; email: string }) {
  return { recipient: { email: user.email }, file: { ownerId: { not: user.id } } };
}

async function findOwnRequest(db: Db, fileId: string, requesterId: string) {
  const row = await db.accessRequest.findUnique({
    where: { fileId_requesterId: { fileId, requesterId } },
    select: { id: true, fileId: true, status: true },
  });
  return row ? { requestId: row.id, fileId: row.fileId, status: accessStatusOf(row.status) } : null;
}

function accessStatusOf(value: string): AccessStatus {
  return value === "approved" || value === "declined" ? value : "pending";
}
