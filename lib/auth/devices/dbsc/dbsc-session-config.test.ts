import { describe, expect, it } from "vitest";
import { buildDbscSessionInstructions, dbscBoundCookie, dbscSessionEnded, dbscSetCookie, type DbscBoundCookie } from "./dbsc-session-config";

/**
 * The registration answer and the bound cookie: the Set-Cookie line and the
 * instructions' `attributes` come from one object, so they cannot differ.
 */

const SESSION_ID = "0193a5c2-7d1e-7b4a-9c3d-2e1f0a9b8c7d";
const ORIGIN = "https://app.example.com";

function cookie(name = "__Host-tl_bound"): DbscBoundCookie {
  const made = dbscBoundCookie({ name });
  if (!made.ok) throw new Error("test cookie");
  return made.value;
}

describe("the bound cookie", () => {
  it("is short-lived, Secure, HttpOnly, SameSite=Lax, Path=/, with no Domain (so __Host- holds)", () => {
    expect(cookie().attributes).toBe("Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax");
    expect(dbscSetCookie(cookie(), "v4lue_-.~")).toEqual({ ok: true, value: "__Host-tl_bound=v4lue_-.~; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax" });
  });

  it("lists in the instructions exactly the attributes it is set with", () => {
    const bound = cookie();
    const built = buildDbscSessionInstructions({ sessionId: SESSION_ID, refreshUrl: "/dbsc/refresh", origin: ORIGIN, cookie: bound });
    const setCookie = dbscSetCookie(bound, "abc");
    expect(built.ok && setCookie.ok && setCookie.value.endsWith(`; ${built.value.credentials[0].attributes}`)).toBe(true);
  });

  it.each([
    ["a space in the name", { name: "bad name" }],
    ["a semicolon in the name", { name: "bad;name" }],
    ["an empty name", { name: "" }],
    ["no lifetime", { name: "ok", maxAgeSeconds: 0 }],
    ["a fractional lifetime", { name: "ok", maxAgeSeconds: 1.5 }],
  ])("refuses %s: %j", (_, input) => {
    expect(dbscBoundCookie(input)).toEqual({ ok: false, reason: "invalid_value" });
  });

  it.each(["", "a b", "a;b", 'a"b', "a,b", "a\\b", "a\nb", "ü"])("refuses the value %j", (value) => {
    expect(dbscSetCookie(cookie(), value)).toEqual({ ok: false, reason: "invalid_value" });
  });
});

describe("the session instructions", () => {
  it("carry the draft's keys, origin-scoped by default", () => {
    const built = buildDbscSessionInstructions({ sessionId: SESSION_ID, refreshUrl: "/dbsc/refresh", origin: ORIGIN, cookie: cookie() });
    expect(built).toEqual({
      ok: true,
      value: {
        session_identifier: SESSION_ID,
        refresh_url: "/dbsc/refresh",
        scope: { origin: ORIGIN, include_site: false, scope_specification: [] },
        credentials: [{ type: "cookie", name: "__Host-tl_bound", attributes: "Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax" }],
      },
    });
  });

  it("take scope rules and refresh initiators when given", () => {
    const built = buildDbscSessionInstructions({
      sessionId: SESSION_ID,
      refreshUrl: "https://app.example.com/dbsc/refresh",
      origin: ORIGIN,
      cookie: cookie(),
      scopeSpecification: [{ type: "exclude", domain: "*.example.com", path: "/static" }],
      allowedRefreshInitiators: ["*.example.com"],
    });
    expect(built.ok && built.value.scope.scope_specification).toEqual([{ type: "exclude", domain: "*.example.com", path: "/static" }]);
    expect(built.ok && built.value.allowed_refresh_initiators).toEqual(["*.example.com"]);
  });

  it("accept http only on localhost", () => {
    const local = buildDbscSessionInstructions({ sessionId: SESSION_ID, refreshUrl: "/dbsc/refresh", origin: "http://localhost:3000", cookie: cookie() });
    expect(local.ok).toBe(true);
  });

  it.each([
    ["a short session id", { sessionId: "short" }],
    ["a quote in the session id", { sessionId: `${SESSION_ID}"` }],
    ["plain http", { origin: "http://app.example.com" }],
    ["an origin with a path", { origin: "https://app.example.com/" }],
    ["a scheme-relative refresh URL", { refreshUrl: "//evil.example/refresh" }],
    ["a refresh URL on another origin", { refreshUrl: "https://evil.example/refresh" }],
    ["a space in the refresh URL", { refreshUrl: "/dbsc/re fresh" }],
    ["a Partitioned cookie", { cookie: { name: "__Host-x", attributes: "Path=/; Secure; Partitioned" } }],
    ["an unknown rule type", { scopeSpecification: [{ type: "maybe" as "include" }] }],
    ["an initiator that is not a host pattern", { allowedRefreshInitiators: ["evil.example/path"] }],
  ])("refuse %s: %j", (_, change) => {
    const input = { sessionId: SESSION_ID, refreshUrl: "/dbsc/refresh", origin: ORIGIN, cookie: cookie(), ...change };
    expect(buildDbscSessionInstructions(input)).toEqual({ ok: false, reason: "invalid_value" });
  });

  it("end a session with `continue: false`", () => {
    expect(dbscSessionEnded(SESSION_ID)).toEqual({ session_identifier: SESSION_ID, continue: false });
  });
});
