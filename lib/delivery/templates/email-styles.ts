/**
 * One look for every email. Mail clients ignore stylesheets, so React Email
 * needs inline styles; keeping them here means a change of brand colour is
 * one edit, not one per template.
 */
export const emailStyles = {
  body: { backgroundColor: "#f6f7f9", fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
  container: { backgroundColor: "#ffffff", margin: "24px auto", padding: "32px", maxWidth: "480px", borderRadius: "8px" },
  heading: { fontSize: "22px", color: "#111827", margin: "0 0 16px" },
  text: { fontSize: "16px", lineHeight: "24px", color: "#1f2937" },
  buttonRow: { margin: "24px 0" },
  button: {
    backgroundColor: "#1d4ed8",
    color: "#ffffff",
    padding: "12px 24px",
    borderRadius: "6px",
    fontSize: "16px",
    textDecoration: "none",
  },
  /** A one-time code: large, spaced, and left to right even in an Arabic email. */
  code: { fontSize: "28px", letterSpacing: "6px", fontWeight: 700, color: "#111827", direction: "ltr" as const },
  rule: { borderColor: "#e5e7eb", margin: "24px 0" },
  small: { fontSize: "13px", lineHeight: "20px", color: "#4b5563" },
  link: { fontSize: "12px", color: "#4b5563", wordBreak: "break-all" as const, direction: "ltr" as const },
};
