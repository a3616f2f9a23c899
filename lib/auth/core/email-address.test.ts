import { describe, expect, it } from "vitest";
import { maskEmailAddress, parseEmailAddress } from "./email-address";

describe("parseEmailAddress", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["  Alice@Example.COM \n", "alice@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["user@bücher.de", "user@xn--bcher-kva.de"],
    ["user@例え.jp", "user@xn--r8jz45g.jp"],
    ["josé@example.com", "josé@example.com"],
    ["user@ＥＸＡＭＰＬＥ.com", "user@example.com"],
  ])("accepts %j as %j", (input, canonical) => {
    expect(parseEmailAddress(input)).toEqual({ ok: true, email: canonical });
  });

  it.each([
    ["a list", "a@x.com,b@y.com"],
    ["a list with a semicolon", "a@x.com;b@y.com"],
    ["a display name", "Alice <alice@example.com>"],
    ["a quoted local part that hides another domain", '"e@attacker.com"@victim.com'],
    ["a full-width at-sign", "alice＠example.com"],
    ["a small at-sign", "alice﹫example.com"],
    ["two at-signs", "alice@attacker.com@victim.com"],
    ["inner whitespace", "ali ce@example.com"],
    ["a comment", "alice(comment)@example.com"],
    ["a zero-width space", "alice\u200B@example.com"],
    ["a right-to-left override", "alice\u202E@example.com"],
    ["a newline (header injection)", "alice@example.com\r\nBcc: victim@example.com"],
    ["an IP literal", "alice@[127.0.0.1]"],
    ["a dotted IPv4 domain", "alice@127.0.0.1"],
    ["a single-label domain", "alice@localhost"],
    ["a leading dot", ".alice@example.com"],
    ["two dots in a row", "al..ice@example.com"],
    ["a hyphen-edged label", "alice@-example.com"],
    ["no local part", "@example.com"],
    ["no domain", "alice@"],
    ["no at-sign", "alice.example.com"],
  ])("refuses %s", (_, input) => {
    expect(parseEmailAddress(input).ok).toBe(false);
  });

  it.each([[["a@x.com"]], [{ email: "a@x.com" }], [42], [null], [undefined]])("refuses the non-string %j", (input) => {
    expect(parseEmailAddress(input)).toEqual({ ok: false, error: "EMAIL_INVALID" });
  });

  it("says which rule failed", () => {
    expect(parseEmailAddress("   ")).toEqual({ ok: false, error: "EMAIL_REQUIRED" });
    expect(parseEmailAddress(`${"a".repeat(65)}@example.com`)).toEqual({ ok: false, error: "EMAIL_TOO_LONG" });
    expect(parseEmailAddress(`a@${Array.from({ length: 5 }, () => "b".repeat(60)).join(".")}.com`)).toEqual({
      ok: false,
      error: "EMAIL_TOO_LONG",
    });
  });

  it("masks an address for a page anyone holding a link can see", () => {
    expect(maskEmailAddress("alice@example.com")).toBe("a•••@example.com");
    expect(maskEmailAddress("josé@example.com")).toBe("j•••@example.com");
  });
});
