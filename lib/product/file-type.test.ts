import { describe, expect, it } from "vitest";
import { contentCheck, detectContentType } from "./file-type";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const PDF = new TextEncoder().encode("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n");
const WINDOWS_EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
const ELF = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const text = (value: string) => new TextEncoder().encode(value);

describe("detectContentType", () => {
  it("accepts each allowed type when the bytes prove the name", () => {
    expect(detectContentType(PNG, "png")).toBe("image/png");
    expect(detectContentType(JPEG, "jpg")).toBe("image/jpeg");
    expect(detectContentType(JPEG, "jpeg")).toBe("image/jpeg");
    expect(detectContentType(PDF, "pdf")).toBe("application/pdf");
    expect(detectContentType(text("hello\tworld\r\n"), "txt")).toBe("text/plain");
    expect(detectContentType(text("name,country\nAna,ES\n"), "csv")).toBe("text/csv");
    expect(detectContentType(text("مرحبا ¡hola! 👋\f"), "txt")).toBe("text/plain");
  });

  it("refuses a text file named .png, and an image named .txt", () => {
    expect(detectContentType(text("just text"), "png")).toBeNull();
    expect(detectContentType(text("%PDF-1.7 fake"), "png")).toBeNull();
    expect(detectContentType(PNG, "txt")).toBeNull();
    expect(detectContentType(PNG, "pdf")).toBeNull();
  });

  it("refuses executables, whatever they are called", () => {
    for (const extension of ["exe", "txt", "csv", "png", "pdf"]) {
      expect(detectContentType(WINDOWS_EXE, extension)).toBeNull();
      expect(detectContentType(ELF, extension)).toBeNull();
    }
  });

  it("refuses extensions outside the allowlist, even with harmless bytes", () => {
    for (const extension of ["html", "svg", "js", "exe", "sh", "", "constructor", "__proto__"]) {
      expect(detectContentType(text("hello"), extension)).toBeNull();
    }
  });

  it("refuses text that is not UTF-8 or carries control characters", () => {
    expect(detectContentType(Uint8Array.from([0x68, 0x69, 0xff, 0xfe]), "txt")).toBeNull();
    expect(detectContentType(text("nul\u0000inside"), "txt")).toBeNull();
    expect(detectContentType(text("escape \u001b[31m red"), "csv")).toBeNull();
  });

  it("decides the same while the bytes stream in, one byte at a time", () => {
    const inChunks = (bytes: Uint8Array, extension: string) => {
      const check = contentCheck(extension);
      for (const byte of bytes) check.push(Uint8Array.of(byte));
      return check.result();
    };
    // "ñ" and "€" split across chunks are still one character each.
    expect(inChunks(text("año, 5 €\n"), "txt")).toBe("text/plain");
    expect(inChunks(PNG, "png")).toBe("image/png");
    expect(inChunks(PNG.slice(0, 4), "png")).toBeNull();
    // Half a character at the very end is not text.
    expect(inChunks(text("5 €").slice(0, -1), "txt")).toBeNull();
    const wrong = contentCheck("png");
    wrong.push(text("GIF89a"));
    expect(wrong.failed).toBe(true);
  });
});
