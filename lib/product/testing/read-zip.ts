import { fromBuffer, type Entry } from "yauzl";

export interface ZipEntryRead {
  name: string;
  bytes: Buffer;
}

/**
 * A zip's entries and their contents, read with a real zip reader (yauzl),
 * for tests of the export (lib/product/file-export.ts). yauzl itself
 * refuses absolute and `..` names and checks every entry's size and CRC.
 */
export function readZip(zipBytes: Buffer): Promise<ZipEntryRead[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(zipBytes, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error("not a zip"));
      const entries: ZipEntryRead[] = [];
      zip.on("error", reject);
      zip.on("end", () => resolve(entries));
      zip.on("entry", (entry: Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error("unreadable entry"));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
