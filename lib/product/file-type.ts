import { CONTENT_TYPE_BY_EXTENSION, type AllowedContentType } from "./file-rules";

/**
 * Decides a file's content type from its bytes and its name together: the
 * extension says what the file claims to be, and the bytes must prove it.
 * The browser's declared type is ignored (any client can send any).
 *
 * Binary types are recognised by their magic numbers; text types must be
 * valid UTF-8 with no control characters besides tab, line breaks and form
 * feed, which also keeps out executables and archives renamed to `.txt`.
 */

const MAGIC: Partial<Record<AllowedContentType, readonly number[]>> = {
  // \x89 P N G \r \n \x1A \n
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  // SOI marker followed by the first segment's marker prefix.
  "image/jpeg": [0xff, 0xd8, 0xff],
  // %PDF-
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d],
};

const TEXT_TYPES: ReadonlySet<AllowedContentType> = new Set(["text/plain", "text/csv"]);

// C0 controls except \t \n \f \r, plus DEL and the C1 block.
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

/** The content type to store and serve, or null when the file is not allowed. */
export function detectContentType(bytes: Uint8Array, extension: string): AllowedContentType | null {
  const claimed = contentTypeForExtension(extension);
  if (!claimed) return null;
  if (TEXT_TYPES.has(claimed)) return isPlainText(bytes) ? claimed : null;
  const magic = MAGIC[claimed];
  return magic && startsWith(bytes, magic) ? claimed : null;
}

function contentTypeForExtension(extension: string): AllowedContentType | null {
  return Object.hasOwn(CONTENT_TYPE_BY_EXTENSION, extension)
    ? CONTENT_TYPE_BY_EXTENSION[extension as keyof typeof CONTENT_TYPE_BY_EXTENSION]
    : null;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return !FORBIDDEN_IN_TEXT.test(text);
}
