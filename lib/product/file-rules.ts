/**
 * What an upload may be. Plain constants with no server imports, so the
 * upload form can check a file's size before sending 50 MB for nothing;
 * the server checks everything again (lib/product/files.ts).
 */

/** The largest file the product stores: 10 MiB ("10 MB" in the UI; errors.FILE_TOO_LARGE says it too, and a test checks they agree). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_UPLOAD_MEGABYTES = MAX_UPLOAD_BYTES / (1024 * 1024);

/**
 * What one account may keep stored in total: 100 MiB ("100 MB" in the UI;
 * errors.QUOTA_EXCEEDED says it too, and a test checks they agree). Checked
 * inside the transaction that writes a file's row (lib/product/files.ts).
 */
export const MAX_STORED_BYTES_PER_USER = 100 * 1024 * 1024;
export const MAX_STORED_MEGABYTES_PER_USER = MAX_STORED_BYTES_PER_USER / (1024 * 1024);

/**
 * Room for the multipart envelope around the file (boundaries, part headers,
 * the form's other fields). A request body larger than the file limit plus
 * this is refused before it is read.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Display names longer than this (in user-perceived characters) are shortened, keeping the extension. */
export const MAX_FILE_NAME_LENGTH = 120;

/**
 * The allowlist: extension → the only content type a file with that name
 * may have. The bytes must agree (lib/product/file-type.ts): a name alone
 * never decides what is stored or served.
 */
export const CONTENT_TYPE_BY_EXTENSION = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
} as const;

export type AllowedExtension = keyof typeof CONTENT_TYPE_BY_EXTENSION;
export type AllowedContentType = (typeof CONTENT_TYPE_BY_EXTENSION)[AllowedExtension];

/** For the file input's `accept`: a hint to the picker, not a check. */
export const UPLOAD_ACCEPT = Object.keys(CONTENT_TYPE_BY_EXTENSION)
  .map((extension) => `.${extension}`)
  .join(",");

/**
 * What the upload route may report back to the files page in `?error=`:
 * catalogue codes and field message keys, all under `errors.*` in the
 * messages. The page shows nothing for a value outside this list.
 */
export const UPLOAD_PROBLEMS = [
  "FILE_TOO_LARGE",
  "FILE_TYPE_NOT_ALLOWED",
  "FILE_REQUIRED",
  "FILE_EMPTY",
  "FILE_NAME_INVALID",
  "VALIDATION_FAILED",
  "QUOTA_EXCEEDED",
  "RATE_LIMITED",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_ERROR",
] as const;

export type UploadProblem = (typeof UPLOAD_PROBLEMS)[number];

export function isUploadProblem(value: unknown): value is UploadProblem {
  return typeof value === "string" && (UPLOAD_PROBLEMS as readonly string[]).includes(value);
}
