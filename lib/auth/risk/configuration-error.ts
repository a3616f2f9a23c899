/**
 * A risk source is configured wrongly: a malformed CIDR, a missing list or
 * database file. Thrown when the configuration is read (at start, or at a
 * database's first use), never for anything a request sends: a request's
 * odd address or header is a value the signals treat as unknown.
 */
export class RiskConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RiskConfigurationError";
  }
}

/** Why a file could not be read, as its errno code (ENOENT, EACCES, EISDIR): never the file's contents. */
export function fileErrorReason(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : "unreadable";
}
