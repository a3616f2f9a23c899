import { sanitizeFileName } from "./file-name";

/**
 * The names of a zip export's entries (lib/product/file-export.ts). A zip
 * entry's name becomes a path when the archive is unpacked, so it must be a
 * plain name: no directory, no `..`, nothing absolute ("zip slip"). Stored
 * names were sanitized at upload (file-name.ts); they are sanitized again
 * here so that even a tampered row cannot name a path.
 *
 * Two files may share a name, and unpacking would then overwrite one with
 * the other: later ones become `a (2).txt`, `a (3).txt`, compared without
 * case because Windows and macOS unpack `A.txt` and `a.txt` into one file.
 */

/** What an entry is called when its stored name sanitizes to nothing at all. */
export const UNNAMED_ENTRY = "file";

export interface EntryNamer {
  /** The entry name for the next file, unique among the names given so far. */
  next(storedName: string): string;
}

export function entryNamer(): EntryNamer {
  const taken = new Set<string>();
  return {
    next(storedName) {
      const name = sanitizeFileName(storedName) ?? UNNAMED_ENTRY;
      const dot = name.lastIndexOf(".");
      const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
      let candidate = name;
      for (let copy = 2; taken.has(candidate.toLowerCase()); copy += 1) candidate = `${stem} (${copy})${extension}`;
      taken.add(candidate.toLowerCase());
      return candidate;
    },
  };
}
