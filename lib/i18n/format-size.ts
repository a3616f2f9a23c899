/**
 * A file size in the reader's language ("114 bytes", "1.5 MB"), in the
 * binary units file managers use. Bytes under 1 KB are shown as bytes.
 */
export function formatFileSize(locale: string, bytes: number): string {
  const [value, unit] =
    bytes < 1024 ? [bytes, "byte"] : bytes < 1024 * 1024 ? [bytes / 1024, "kilobyte"] : [bytes / (1024 * 1024), "megabyte"];
  // Short "byte" reads as a typo ("114 byte"); the long form is "114 bytes".
  const unitDisplay = unit === "byte" ? "long" : "short";
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay, maximumFractionDigits: 1 }).format(value);
}
