import { MAX_FILE_NAME_LENGTH } from "./file-rules";
import { stripInvisibleCharacters } from "./invisible-characters";

/**
 * A file's name is something a person typed, or something a hostile client
 * sent. It is only ever a label: shown in lists and emails, and offered as
 * the download's name. The bytes are stored under a random key
 * (lib/product/file-store.ts), so no name can ever reach a path.
 *
 * Still, the label must not lie or break anything that shows it:
 * - path segments go (`../../etc/passwd` → `passwd`, `C:\Users\a\b.txt` → `b.txt`);
 * - invisible characters go (lib/product/invisible-characters.ts): NUL,
 *   newlines (header injection), and bidi overrides (`invoice\u202Etxt.exe`
 *   displays as "invoiceexe.txt" while being an .exe);
 * - characters Windows reserves become `_`, so the downloaded copy can be saved;
 * - leading dots (hidden files, `..`) and trailing dots and spaces go;
 * - device names (`CON`, `NUL.txt`) get a `_` in front;
 * - the result is shortened to MAX_FILE_NAME_LENGTH, keeping the extension.
 *
 * Percent-escapes (`%2e%2e%2f`) are never decoded: they stay literal text.
 */

const PATH_SEPARATOR = /[/\\]/;
const WINDOWS_RESERVED = /[<>:"|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

/** The display name to store, or null when nothing usable is left. */
export function sanitizeFileName(raw: string): string | null {
  const visible = stripInvisibleCharacters(raw.normalize("NFC"));
  const lastSegment = visible.split(PATH_SEPARATOR).pop() ?? "";
  let name = lastSegment
    .replace(WINDOWS_RESERVED, "_")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+/, "")
    .replace(/[\s.]+$/, "");
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  name = shorten(name, MAX_FILE_NAME_LENGTH);
  return name === "" ? null : name;
}

/** `Report.PDF` → `pdf`; a name without a dot (or only a leading one) has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** Shortens by graphemes, so no emoji or accented letter is cut in half. */
function shorten(name: string, max: number): string {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(name)].map((s) => s.segment);
  if (graphemes.length <= max) return name;
  const extension = extensionOf(name);
  const suffix = extension ? `.${extension}` : "";
  const stemLength = Math.max(1, max - [...suffix].length);
  const stem = graphemes.slice(0, stemLength).join("").replace(/[\s.]+$/, "");
  return `${stem}${suffix}`;
}

/**
 * `Content-Disposition: attachment` with both forms of the name (RFC 6266
 * §4.3): `filename*` carries it exactly (RFC 5987 UTF-8 percent-encoding),
 * and `filename` an ASCII stand-in for clients that ignore `filename*`.
 * `attachment` also means the browser saves the file instead of showing it.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7E]/g, "_").replace(/["\\%]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** encodeURIComponent leaves `'()*` alone, but RFC 5987's attr-char excludes them. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
