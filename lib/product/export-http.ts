import { unexpectedFailure } from "../auth/core/execute";
import { Readable } from "node:stream";
import { failure, type Failure } from "../auth/core/errors";
import { originAllowed } from "../auth/core/origin";
import { deviceProofRefusal, type ActiveSession } from "../auth/core/sessions";
import { requireAction } from "../auth/step-up/require-action";
import { stepUpPath } from "../auth/step-up/step-up-path";
import {
  describeRequest,
  envelopeErrorResponse,
  isNavigation,
  plainErrorResponse,
  recordFileEvent,
  seeOther,
  sessionOf,
  signInPath,
  withRefreshedSessionCookie,
  type FileHttpDeps,
  type FileHttpOptions,
} from "./file-http-common";
import { filesToExport, zipOfFiles, type ExportedFile } from "./file-export";
import { contentDisposition } from "./file-name";

/**
 * GET /api/files/export: all of the signed-in person's own files as one
 * zip, streamed (lib/product/file-export.ts). It hands out every file at
 * once, private ones included, so the policy's `file.export` (a passkey or
 * app proof within 12 hours) guards it, asked before any row is read. The
 * refusal follows the download's: a browser that navigated here goes to the
 * step-up page, which brings it back here (or, for ACTION_DENIED, explains
 * why not and what to do next); anything else gets 403
 * STEP_UP_REQUIRED as the JSON envelope, with `error.details` (`action`,
 * `methods`, `maxAgeSeconds`) for a program to act on.
 *
 * A GET that sends everything is worth forging: a cross-site page could
 * start it in the person's browser (their cookie rides along on a top-level
 * navigation). So the origin rule applies as for a POST, minus the
 * Origin header a navigation never sends: `Sec-Fetch-Site` must be
 * same-origin or none (a typed URL), and an Origin, when sent, must be ours.
 *
 * An account without files gets a valid, empty zip: "all my files" is then
 * nothing, which is not an error (the files page shows no button for it).
 */

export const EXPORT_COMMAND = "PRODUCT.FILE.EXPORT";

/** The policy action an export performs (lib/auth/policy/policy-table.ts). */
export const EXPORT_ACTION = "file.export";

/** This route's path (app/api/files/export/route.ts), where the step-up page sends the browser back to. */
export const EXPORT_PATH = "/api/files/export";

const POLICY_REFUSALS: ReadonlySet<string> = new Set(["STEP_UP_REQUIRED", "ACTION_DENIED"]);

type ExportOutcome = { ok: true; files: ExportedFile[] } | Failure;

export async function handleExport(deps: FileHttpDeps, request: Request, options: FileHttpOptions): Promise<Response> {
  const startedAt = performance.now();
  const { context, locale } = describeRequest(request, options);
  let session: ActiveSession | null = null;
  let outcome: ExportOutcome;
  try {
    if (!originAllowed(deps.appBaseUrl, context, false)) {
      outcome = failure("ORIGIN_REJECTED");
    } else {
      session = await sessionOf(deps, request, options.secureCookies);
      if (!session) return seeOther(signInPath(locale));
      const refused =
        deviceProofRefusal(session) ?? (await requireAction(deps, { session, action: EXPORT_ACTION, request: context }));
      outcome = refused ?? { ok: true, files: await filesToExport(deps.db, session.user.id) };
    }
  } catch (error) {
    outcome = unexpectedFailure(EXPORT_COMMAND, error);
  }

  void recordFileEvent(deps, {
    command: EXPORT_COMMAND,
    request: { context, locale, session },
    startedAt,
    errorCode: outcome.ok ? null : outcome.code,
    // Counts only: file names are personal data and stay in their table.
    details: outcome.ok
      ? { fileCount: outcome.files.length, sizeBytes: outcome.files.reduce((sum, file) => sum + file.sizeBytes, 0) }
      : { ...outcome.audit?.details },
  });

  const response = outcome.ok
    ? zipResponse(deps, outcome.files)
    : !isNavigation(request)
      ? envelopeErrorResponse(EXPORT_COMMAND, outcome, locale)
      : // The step-up page offers the proof, or explains a refusal and what to do next.
        POLICY_REFUSALS.has(outcome.code)
        ? seeOther(stepUpPath(locale, EXPORT_ACTION, EXPORT_PATH))
        : plainErrorResponse(outcome.code, locale);
  return withRefreshedSessionCookie(response, request, session, options.secureCookies);
}

function zipResponse(deps: FileHttpDeps, files: readonly ExportedFile[]): Response {
  const body = Readable.toWeb(zipOfFiles(deps.files, files)) as ReadableStream<Uint8Array>;
  const day = deps.clock.now().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      // Saved under a name of ours, never one a file's owner typed.
      "content-disposition": contentDisposition(`trustladder-files-${day}.zip`),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cross-origin-resource-policy": "same-origin",
      "cache-control": "private, no-store",
    },
  });
}
