import { unexpectedFailure } from "../auth/core/execute";
import { createTranslator } from "next-intl";
import { errorStatus, failure, type Failure } from "../auth/core/errors";
import { originAllowed } from "../auth/core/origin";
import { deviceProofRefusal, type ActiveSession } from "../auth/core/sessions";
import type { Locale } from "../i18n/locales";
import { messagesByLocale } from "../i18n/messages";
import {
  describeRequest,
  plainErrorResponse,
  recordFileEvent,
  seeOther,
  sessionOf,
  signInPath,
  withRefreshedSessionCookie,
  type FileHttpDeps,
  type FileHttpOptions,
} from "./file-http-common";
import { MAX_UPLOAD_BYTES, MULTIPART_OVERHEAD_BYTES, isUploadProblem, type UploadProblem } from "./file-rules";
import { uploadFile, type FileSummary } from "./files";
import { readMultipartFile } from "./multipart-file";
import { productLimitFailure } from "./product-limits";

/**
 * POST /api/files: one file as multipart/form-data (field `file`).
 *
 * A route handler rather than a server action: actions cap bodies at 1 MB,
 * and raising `serverActions.bodySizeLimit` would raise it for every action
 * in the app (sign-in included). Here only this endpoint accepts 10 MB, and
 * it counts the bytes as they arrive instead of trusting Content-Length.
 * The file part streams to a temporary file while it is checked
 * (lib/product/files.ts); each account may upload 30 times an hour and
 * keep 100 MB (lib/product/product-limits.ts, file-rules.ts).
 *
 * The upload form posts here without JavaScript; the answer to a page is a
 * 303 back to the files page (`?done=uploaded` or `?error=<problem>`). Any
 * other client gets a JSON envelope like /api/v1/execute's.
 */

export const UPLOAD_COMMAND = "PRODUCT.FILE.UPLOAD";
const MAX_UPLOAD_REQUEST_BYTES = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;

type UploadOutcome = { ok: true; file: FileSummary } | Failure;

export async function handleUpload(deps: FileHttpDeps, request: Request, options: FileHttpOptions): Promise<Response> {
  const startedAt = performance.now();
  const { context, locale } = describeRequest(request, options);
  let session: ActiveSession | null = null;
  let outcome: UploadOutcome;
  try {
    // The session is a cookie, so this request always rides on cookies:
    // without our Origin it is refused before a byte of the body is read.
    if (!originAllowed(deps.appBaseUrl, context, true)) {
      outcome = failure("ORIGIN_REJECTED");
    } else {
      session = await sessionOf(deps, request, options.secureCookies);
      outcome = !session
        ? failure("UNAUTHENTICATED")
        : (deviceProofRefusal(session) ?? (await receive(deps, request, session.user.id)));
    }
  } catch (error) {
    outcome = unexpectedFailure(UPLOAD_COMMAND, error);
  }

  const unrecorded = await recordFileEvent(deps, {
    command: UPLOAD_COMMAND,
    request: { context, locale, session },
    startedAt,
    errorCode: outcome.ok ? null : outcome.code,
    details: outcome.ok
      ? { fileId: outcome.file.id, sizeBytes: outcome.file.sizeBytes, contentType: outcome.file.contentType }
      : {},
  });
  if (unrecorded) outcome = unrecorded;
  const response = wantsPage(request) ? pageAnswer(outcome, locale) : jsonAnswer(outcome, locale);
  return withRefreshedSessionCookie(response, request, session, options.secureCookies);
}

async function receive(deps: FileHttpDeps, request: Request, ownerId: string): Promise<UploadOutcome> {
  // Counted before a byte of the body is read: every attempt, accepted or not.
  const limited = await productLimitFailure(deps.productLimits, [["productUploadPerUser", ownerId]]);
  if (limited) return limited;
  // Refused early when the client says it is too large, and again while
  // reading when it lied (or sent no length at all).
  if (Number(request.headers.get("content-length") ?? "0") > MAX_UPLOAD_REQUEST_BYTES) return failure("FILE_TOO_LARGE");
  const form = readMultipartFile(request, "file", MAX_UPLOAD_REQUEST_BYTES);
  if (!form) return failure("VALIDATION_FAILED", { fields: { file: "FILE_REQUIRED" } });
  try {
    const file = await form.file;
    if (!file) return form.tooLarge ? failure("FILE_TOO_LARGE") : failure("VALIDATION_FAILED", { fields: { file: "FILE_REQUIRED" } });
    const uploaded = await uploadFile(deps, ownerId, file);
    return uploaded.ok ? { ok: true, file: uploaded.value } : uploaded;
  } catch (error) {
    // The body, not the server, failed: too large, cut short or malformed.
    if (form.tooLarge) return failure("FILE_TOO_LARGE");
    if (form.broken) return failure("VALIDATION_FAILED");
    throw error;
  } finally {
    form.stop();
  }
}

/** A form navigation (no JavaScript needed) rather than a script or an API client. */
function wantsPage(request: Request): boolean {
  return request.headers.get("sec-fetch-mode") === "navigate" || (request.headers.get("accept") ?? "").includes("text/html");
}

function pageAnswer(outcome: UploadOutcome, locale: Locale): Response {
  if (outcome.ok) return seeOther(`/${locale}/files?done=uploaded`);
  // Not our page asking: no friendly redirect for a forged form.
  if (outcome.code === "ORIGIN_REJECTED") return plainErrorResponse("ORIGIN_REJECTED", locale);
  if (outcome.code === "UNAUTHENTICATED") return seeOther(signInPath(locale));
  const retry = outcome.code === "RATE_LIMITED" && outcome.retryAfterSeconds ? `&retry=${outcome.retryAfterSeconds}` : "";
  return seeOther(`/${locale}/files?error=${problemOf(outcome)}${retry}`);
}

/** What the page shows: the field's message key when there is one, else the code. */
function problemOf(outcome: Failure): UploadProblem {
  const problem = outcome.fields?.file ?? outcome.code;
  return isUploadProblem(problem) ? problem : "VALIDATION_FAILED";
}

function jsonAnswer(outcome: UploadOutcome, locale: Locale): Response {
  const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
  if (outcome.ok) {
    const { id, name, contentType, sizeBytes, createdAt } = outcome.file;
    const data = { file: { id, name, contentType, sizeBytes, createdAt: createdAt.toISOString() } };
    return new Response(JSON.stringify({ ok: true, command: UPLOAD_COMMAND, data, error: null }), { status: 200, headers });
  }
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "errors" });
  const minutes = Math.max(1, Math.ceil((outcome.retryAfterSeconds ?? 60) / 60));
  const error = { code: outcome.code, message: t(outcome.code, { minutes }), ...(outcome.fields ? { fields: outcome.fields } : {}) };
  const response = new Response(JSON.stringify({ ok: false, command: UPLOAD_COMMAND, data: null, error }), {
    status: errorStatus(outcome.code),
    headers,
  });
  if (outcome.retryAfterSeconds) response.headers.set("retry-after", String(outcome.retryAfterSeconds));
  return response;
}
