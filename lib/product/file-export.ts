import { finished } from "node:stream/promises";
import type { PassThrough, Readable } from "node:stream";
import { ZipFile } from "yazl";
import type { Db } from "../db/client";
import type { FileStore } from "./file-store";
import { entryNamer } from "./zip-entry-names";

/**
 * "Export all my files": every file the account owns (not the ones shared
 * with it) as one zip, streamed. Only one stored file is open at a time and
 * its bytes pass through in chunks, so an export of the whole 100 MB quota
 * costs a few buffers of memory, not 100 MB (issue 20).
 */

export interface ExportedFile {
  id: string;
  name: string;
  storageKey: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

/** The owner's files, oldest first, so `a.txt` keeps its name and a later upload of it becomes `a (2).txt`. */
export function filesToExport(db: Db, ownerId: string): Promise<ExportedFile[]> {
  return db.storedFile.findMany({
    where: { ownerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, name: true, storageKey: true, contentType: true, sizeBytes: true, createdAt: true },
  });
}

/**
 * The zip's bytes as they are made. Entries are added one at a time, the
 * next once the previous one's bytes were read, so a single file handle is
 * open. A row whose bytes are gone (a restored database, a wiped
 * FILES_DIR) is left out and logged, like the download's NOT_FOUND for it,
 * rather than making every later export fail. A disk error, or bytes that
 * are not the size the row says, ends the stream with an error: the client
 * sees a broken download, never a zip that looks complete but is not.
 * A client that goes away destroys the stream, which closes the open file.
 */
export function zipOfFiles(store: Pick<FileStore, "stream">, files: readonly ExportedFile[]): Readable {
  const zip = new ZipFile();
  // yazl makes it a PassThrough; its published types say only NodeJS.ReadableStream.
  const output = zip.outputStream as PassThrough;
  const fail = (error: unknown) => output.destroy(error instanceof Error ? error : new Error("zip export failed"));
  zip.on("error", fail);
  let current: Readable | null = null;
  output.once("close", () => current?.destroy());

  async function addAll() {
    const names = entryNamer();
    for (const file of files) {
      if (output.destroyed) return;
      current = await store.stream(file.storageKey);
      // The client may have left while the file was being opened.
      if (output.destroyed) {
        current?.destroy();
        return;
      }
      if (!current) {
        console.error(`files: stored bytes missing for file ${file.id}, left out of an export`);
        continue;
      }
      zip.addReadStream(current, names.next(file.name), {
        mtime: file.createdAt,
        mode: 0o100644,
        size: file.sizeBytes,
        // PNG, JPEG and PDF are compressed already; deflating them again only costs CPU.
        compress: file.contentType.startsWith("text/"),
      });
      await finished(current);
      current = null;
    }
    zip.end();
  }
  addAll().catch(fail);
  return output;
}
