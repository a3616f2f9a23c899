import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/", "/"],
    ["/files", "/files"],
    ["/es/files?tab=sent#top", "/es/files?tab=sent#top"],
  ])("keeps the same-origin path %j", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  it.each([
    "//evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "https:evil.com",
    "https://evil.com",
    "/%2F%2Fevil.com",
    "%2F%2Fevil.com",
    "/%5Cevil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.com",
    "/\n/evil.com",
    " //evil.com",
    "evil.com",
    "/%E0%A4%A",
    "",
    "/".repeat(600),
  ])("sends %j to the home page", (input) => {
    expect(safeRedirectPath(input)).toBe("/");
  });

  it.each([[null], [undefined], [42], [["/files"]], [{ href: "/files" }]])("sends the non-string %j home", (input) => {
    expect(safeRedirectPath(input)).toBe("/");
  });
});
