import { unexpectedFailure } from "../auth/core/execute";
import type { Failure } from "../auth/core/errors";
import { deviceProofRefusal, type ActiveSession } from "../auth/core/sessions";
import { requireAction } from "../auth/step-up/require-action";
import { stepUpPath } from "../auth/step-up/step-up-path";
import {
  describeRequest,
  isNavigation,
  plainErrorResponse,
  recordFileEvent,
  withRefreshedSessionCookie,
  seeOther,
  sessionOf,
  signInPath,
  type FileHttpDeps,
  type FileHttpOptions,
} from "./file-http-common";
import { contentDisposition } from "./file-name";
import { openFile, type FileSummary } from "./files";

/**
 * GET /api/files/:id: the file's bytes, for its owner or an approved
 * requester (lib/product/files.ts `openFile`); 404 for everyone else, the
 * same 404 as for an id that never existed. A GET changes nothing, so no
 * origin check; every download (and every refused id) is audited.
 *
 * A private file also needs the policy's `file.view_private` (a fresh
 * passkey or app proof): asked only once the reader may see the file, so a
 * stranger still gets the 404, and before any byte is read. A refusal
 * answers 403 with its code, like the route's other refusals; a browser
 * that navigated here is sent to the step-up page instead, which brings it
 * back to this download once the proof is given.
 */

export const DOWNLOAD_COMMAND = "PRODUCT.FILE.DOWNLOAD";

/** The policy action a private file's download performs (lib/auth/policy/policy-table.ts). */
export const VIEW_PRIVATE_ACTION = "file.view_private";

type DownloadOutcome = { ok: true; file: FileSummary; bytes: Buffer } | Failure;

export async function handleDownload(
  deps: FileHttpDeps,
  request: Request,
  fileId: string,
  options: FileHttpOptions,
): Promise<Response> {
  const startedAt = performance.now();
  const { context, locale } = describeRequest(request, options);
  let session: ActiveSession | null = null;
  let outcome: DownloadOutcome;
  try {
    session = await sessionOf(deps, request, options.secureCookies);
    if (!session) return seeOther(signInPath(locale));
    const reader = session;
    const opened =
      deviceProofRefusal(reader) ??
      (await openFile(deps, reader.user.id, fileId, (file) =>
        file.private ? requireAction(deps, { session: reader, action: VIEW_PRIVATE_ACTION, request: context }) : Promise.resolve(null),
      ));
    outcome = opened.ok ? { ok: true, ...opened.value } : opened;
  } catch (error) {
    outcome = unexpectedFailure(DOWNLOAD_COMMAND, error);
  }

  void recordFileEvent(deps, {
    command: DOWNLOAD_COMMAND,
    request: { context, locale, session },
    startedAt,
    errorCode: outcome.ok ? null : outcome.code,
    // The id asked for, found or not: guessing shows up in the audit log;
    // a policy refusal adds its action and reasons.
    details: { ...(outcome.ok ? {} : outcome.audit?.details), fileId: fileId.slice(0, 64) },
  });

  const response = outcome.ok
    ? new Response(new Uint8Array(outcome.bytes), { status: 200, headers: downloadHeaders(outcome.file, outcome.bytes.byteLength) })
    : outcome.code === "STEP_UP_REQUIRED" && isNavigation(request)
      ? seeOther(stepUpPath(locale, VIEW_PRIVATE_ACTION, downloadPath(fileId)))
      : plainErrorResponse(outcome.code, locale);
  return withRefreshedSessionCookie(response, request, session, options.secureCookies);
}

/** This route's path for `fileId` (app/api/files/[id]/route.ts), where the step-up page sends the browser back to. */
function downloadPath(fileId: string): string {
  return `/api/files/${encodeURIComponent(fileId)}`;
}

function downloadHeaders(file: FileSummary, byteLength: number): Headers {
  return new Headers({
    // The type the bytes were checked to be at upload, never the client's claim.
    "content-type": file.contentType.startsWith("text/") ? `${file.contentType}; charset=utf-8` : file.contentType,
    "content-length": String(byteLength),
    // Saved, not rendered: an uploaded file never runs as this origin's page.
    "content-disposition": contentDisposition(file.name),
    "x-content-type-options": "nosniff",
    // Should it be opened anyway: no scripts, no plugins, no same-origin powers.
    "content-security-policy": "default-src 'none'; sandbox",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "private, no-store",
  });
}
