import busboy from "busboy";
import { Readable } from "node:stream";

/**
 * Reads one file out of a multipart/form-data request body as a stream:
 * the part's bytes are handed on as they arrive (busboy parses the
 * envelope), so an upload is never held whole in memory, let alone twice.
 * The whole body is counted as it is read, never trusting Content-Length,
 * and reading stops once it passes `maxBodyBytes`.
 */

export interface MultipartFile {
  /** The part's file name exactly as sent ("" when the form had nothing chosen); the caller sanitizes it. */
  name: string;
  body: AsyncIterable<Uint8Array>;
}

export interface MultipartFileReader {
  /** The first file part named `field`, or null when the body has none (or is not a form at all). */
  readonly file: Promise<MultipartFile | null>;
  /** The body passed `maxBodyBytes`: reading stopped, and the file (if any) ended in an error. */
  readonly tooLarge: boolean;
  /** The body could not be read as a form (malformed, cut short, or too large). */
  readonly broken: boolean;
  /** Stops reading the body (call it once the answer is decided). */
  stop(): void;
}

/** Envelope limits: one file, and a few small fields at most (the form has none besides the file). */
const LIMITS = { files: 1, fields: 10, fieldSize: 4 * 1024, parts: 12, headerPairs: 20 };

export function readMultipartFile(request: Request, field: string, maxBodyBytes: number): MultipartFileReader | null {
  const contentType = request.headers.get("content-type");
  if (!request.body || !contentType?.toLowerCase().startsWith("multipart/form-data")) return null;
  let parser: busboy.Busboy;
  try {
    // preservePath: the name reaches our own sanitizer (lib/product/file-name.ts) as sent, so one rule decides.
    // defParamCharset: browsers send UTF-8 file names in `filename="…"`.
    parser = busboy({ headers: { "content-type": contentType }, limits: LIMITS, preservePath: true, defParamCharset: "utf8" });
  } catch {
    return null; // No boundary: not a form we can read.
  }

  let tooLarge = false;
  let broken = false;
  const body = request.body;
  async function* counted(): AsyncGenerator<Uint8Array> {
    const reader = body.getReader();
    let total = 0;
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        total += next.value.byteLength;
        if (total > maxBodyBytes) {
          tooLarge = true;
          throw new Error("request body too large");
        }
        yield next.value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  const source = Readable.from(counted(), { objectMode: false });
  const fail = (error: Error) => {
    broken = true;
    parser.destroy(error);
  };
  source.on("error", fail);
  parser.on("error", () => {
    broken = true;
  });
  source.pipe(parser);

  const file = new Promise<MultipartFile | null>((resolve) => {
    let found = false;
    parser.on("file", (name, stream, info) => {
      // Whoever reads the stream sees its error through iteration; this
      // listener only keeps an unread, destroyed stream from crashing the process.
      stream.on("error", () => undefined);
      if (found || name !== field) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ name: info.filename ?? "", body: stream });
    });
    parser.on("close", () => resolve(null));
    parser.on("error", () => resolve(null));
  });

  return {
    file,
    get tooLarge() {
      return tooLarge;
    },
    get broken() {
      return broken;
    },
    stop() {
      source.unpipe(parser);
      source.destroy();
      if (!parser.destroyed) parser.destroy();
    },
  };
}
