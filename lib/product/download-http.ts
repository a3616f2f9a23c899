import type { Failure } from "../auth/core/errors";
import type { ActiveSession } from "../auth/core/sessions";
import {
  describeRequest,
  plainErrorResponse,
  recordFileEvent,
  withRefreshedSessionCookie,
  seeOther,
  sessionOf,
  signInPath,
  unexpectedFailure,
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
 */

export const DOWNLOAD_COMMAND = "PRODUCT.FILE.DOWNLOAD";

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
    const opened = await openFile(deps, session.user.id, fileId);
    outcome = opened.ok ? { ok: true, ...opened.value } : opened;
  } catch (error) {
    outcome = unexpectedFailure(DOWNLOAD_COMMAND, error);
  }

  void recordFileEvent(deps, {
    command: DOWNLOAD_COMMAND,
    request: { context, locale, session },
    startedAt,
    errorCode: outcome.ok ? null : outcome.code,
    // The id asked for, found or not: guessing shows up in the audit log.
    details: { fileId: fileId.slice(0, 64) },
  });

  const response = outcome.ok
    ? new Response(new Uint8Array(outcome.bytes), { status: 200, headers: downloadHeaders(outcome.file, outcome.bytes.byteLength) })
    : plainErrorResponse(outcome.code, locale);
  return withRefreshedSessionCookie(response, request, session, options.secureCookies);
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
