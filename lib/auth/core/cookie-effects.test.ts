import { describe, expect, it } from "vitest";
import { cookieWriteFor, setCookieHeader } from "./cookie-effects";

const expiresAt = new Date("2026-11-22T10:00:00.000Z");

describe("cookie effects", () => {
  it("over HTTPS: __Host- names, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain", () => {
    const header = setCookieHeader(cookieWriteFor({ kind: "set-session", token: "t0k3n", expiresAt }, true));
    expect(header).toBe(
      "__Host-authjs.session-token=t0k3n; Path=/; HttpOnly; SameSite=Lax; Secure; Expires=Sun, 22 Nov 2026 10:00:00 GMT",
    );
    expect(header).not.toMatch(/Domain=/i);
  });

  it("over plain HTTP (development): no prefix and no Secure, still HttpOnly", () => {
    expect(setCookieHeader(cookieWriteFor({ kind: "set-binding", value: "b", expiresAt }, false))).toBe(
      "tl-binding=b; Path=/; HttpOnly; SameSite=Lax; Expires=Sun, 22 Nov 2026 10:00:00 GMT",
    );
  });

  it.each(["clear-session", "clear-binding", "clear-webauthn-binding"] as const)("%s empties the cookie at once", (kind) => {
    const write = cookieWriteFor({ kind }, true);
    expect(write).toMatchObject({ value: "", options: { maxAge: 0, httpOnly: true, secure: true } });
    expect(setCookieHeader(write)).toMatch(/^__Host-[^=]+=; .*Max-Age=0$/);
  });

  it("remembers a passkey browser for about 400 days, holding no credential", () => {
    expect(setCookieHeader(cookieWriteFor({ kind: "set-passkey-device" }, true))).toBe(
      "__Host-tl-passkey-device=1; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=34560000",
    );
  });
});
