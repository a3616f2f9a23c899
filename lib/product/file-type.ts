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
  const check = contentCheck(extension);
  check.push(bytes);
  return check.result();
}

/**
 * The same decision made while the bytes stream in (an upload is written to
 * disk chunk by chunk, never held whole): `failed` turns true as soon as
 * the bytes cannot be the claimed type, so the upload can stop there.
 */
export interface ContentCheck {
  push(chunk: Uint8Array): void;
  readonly failed: boolean;
  /** After the last chunk: the content type, or null. */
  result(): AllowedContentType | null;
}

export function contentCheck(extension: string): ContentCheck {
  const claimed = contentTypeForExtension(extension);
  if (!claimed) return { push() {}, failed: true, result: () => null };
  if (TEXT_TYPES.has(claimed)) return plainTextCheck(claimed);
  return magicNumberCheck(claimed, MAGIC[claimed] ?? []);
}

function plainTextCheck(claimed: AllowedContentType): ContentCheck {
  // Streaming decode: a character split across two chunks is joined, and
  // an invalid or (at the end) unfinished sequence throws.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let failed = false;
  const decode = (chunk?: Uint8Array) => {
    if (failed) return;
    try {
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      if (FORBIDDEN_IN_TEXT.test(text)) failed = true;
    } catch {
      failed = true;
    }
  };
  return {
    push: (chunk) => decode(chunk),
    get failed() {
      return failed;
    },
    result() {
      decode();
      return failed ? null : claimed;
    },
  };
}

function magicNumberCheck(claimed: AllowedContentType, magic: readonly number[]): ContentCheck {
  let seen = 0;
  let failed = magic.length === 0;
  return {
    push(chunk) {
      for (let index = 0; index < chunk.length && seen < magic.length && !failed; index += 1, seen += 1) {
        if (chunk[index] !== magic[seen]) failed = true;
      }
    },
    get failed() {
      return failed;
    },
    result: () => (failed || seen < magic.length ? null : claimed),
  };
}

function contentTypeForExtension(extension: string): AllowedContentType | null {
  return Object.hasOwn(CONTENT_TYPE_BY_EXTENSION, extension)
    ? CONTENT_TYPE_BY_EXTENSION[extension as keyof typeof CONTENT_TYPE_BY_EXTENSION]
    : null;
}
