import { describe, expect, it } from "vitest";
import { contentDisposition, extensionOf, sanitizeFileName } from "./file-name";
import { MAX_FILE_NAME_LENGTH } from "./file-rules";

describe("sanitizeFileName", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["..\\..\\x", "x"],
    ["C:\\Users\\ana\\report.pdf", "report.pdf"],
    ["/var/www/../../etc/shadow.txt", "shadow.txt"],
    // Percent-escapes are never decoded: they stay harmless literal text.
    ["%2e%2e%2fetc%2fpasswd", "%2e%2e%2fetc%2fpasswd"],
    ["notes\u0000.txt.exe", "notes.txt.exe"],
    ["line\r\nSet-Cookie: x.txt", "lineSet-Cookie_ x.txt"],
    // Right-to-left override: "invoice\u202Etxt.exe" displays as "invoiceexe.txt".
    ["invoice\u202Etxt.exe", "invoicetxt.exe"],
    ["zero\u200Bwidth.txt", "zerowidth.txt"],
    ['a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"],
    ["...hidden.txt", "hidden.txt"],
    ["trailing. . .", "trailing"],
    ["CON", "_CON"],
    ["nul.txt", "_nul.txt"],
    ["  many   spaces .txt ", "many spaces .txt"],
    ["Résumé ñandú.txt", "Résumé ñandú.txt"],
    ["تقرير.pdf", "تقرير.pdf"],
  ])("%j → %j", (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it.each(["", "   ", "..", "../", "..\\..\\", "\u202E", "\u0000\u0000"])("leaves nothing usable of %j", (raw) => {
    expect(sanitizeFileName(raw)).toBeNull();
  });

  it("never returns a path separator, a control character or a bidi override", () => {
    const hostile = ["a/b\\c", "\u0001\u001f\u007f.txt", "x\u202Ay\u202Bz\u202Cw\u202Dv\u2066u\u2067t\u2068s\u2069.txt"];
    for (const raw of hostile) {
      expect(sanitizeFileName(raw)).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
    }
  });

  it("shortens long names by whole characters and keeps the extension", () => {
    const name = sanitizeFileName(`${"é".repeat(300)}.pdf`) ?? "";
    expect([...new Intl.Segmenter().segment(name)]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith("é.pdf")).toBe(true);
    const emoji = sanitizeFileName(`${"👩‍👩‍👧".repeat(200)}.txt`) ?? "";
    expect(emoji.endsWith("👩‍👩‍👧.txt")).toBe(true);
  });
});

describe("extensionOf", () => {
  it.each([
    ["Report.PDF", "pdf"],
    ["archive.tar.gz", "gz"],
    ["README", ""],
    [".env", ""],
  ])("%s → %j", (name, extension) => {
    expect(extensionOf(name)).toBe(extension);
  });
});

describe("contentDisposition", () => {
  it("is an attachment with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987)", () => {
    expect(contentDisposition("notes.txt")).toBe(`attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`);
    expect(contentDisposition("Résumé (final)*.pdf")).toBe(
      `attachment; filename="R_sum_ (final)*.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28final%29%2A.pdf`,
    );
    expect(contentDisposition("تقرير.pdf")).toBe(
      `attachment; filename="_____.pdf"; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf`,
    );
  });

  it("cannot be broken out of by quotes, backslashes or percent signs", () => {
    const header = contentDisposition(`a"b\\c%22d'e.txt`);
    expect(header).toBe(`attachment; filename="a_b_c_22d'e.txt"; filename*=UTF-8''a%22b%5Cc%2522d%27e.txt`);
  });
});
