import { describe, expect, it } from "vitest";
import {
  DBSC_CHALLENGE_HEADERS,
  DBSC_REGISTRATION_HEADERS,
  buildChallengeHeader,
  buildRegistrationHeader,
  readSessionIdHeader,
  readSessionResponseHeader,
} from "./dbsc-headers";
import { parseSfItem, parseSfList, serializeSfString, serializeSfToken } from "./dbsc-structured-fields";

/**
 * The DBSC headers as text: what this server writes must parse back to
 * what it meant, in the draft's examples' exact form, and what a client
 * writes is read only when it is exactly one well-formed value.
 */

const CHALLENGE = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6";
const SESSION_ID = "0193a5c2-7d1e-7b4a-9c3d-2e1f0a9b8c7d";
const JWS = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJl";

const headers = (entries: Record<string, string>) => ({ get: (name: string) => entries[name] ?? null });

describe("the structured-field subset (RFC 9651)", () => {
  it("escapes quotes and backslashes in strings, and refuses what a string cannot carry", () => {
    expect(serializeSfString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(parseSfItem('"a\\"b\\\\c"')?.item).toEqual({ type: "string", value: 'a"b\\c' });
    for (const hostile of ["line\nbreak", "carriage\rreturn", "tab\there", "ünïcode", "emoji 🙂", "nul\u0000"]) {
      expect(serializeSfString(hostile)).toBeNull();
    }
    expect(serializeSfToken("ES256")).toBe("ES256");
    for (const notToken of ["", "1abc", "a b", 'a"', "a,b", "é"]) expect(serializeSfToken(notToken)).toBeNull();
  });

  it("parses the draft's examples", () => {
    const list = parseSfList('(ES256 RS256);path="reg1";challenge="cv1";authorization="a", (RS256);path="reg2";challenge="cv2"');
    expect(list).toHaveLength(2);
    expect(list?.[0]).toMatchObject({ kind: "inner-list", items: [{ item: { type: "token", value: "ES256" } }, { item: { type: "token", value: "RS256" } }] });
    expect(Object.fromEntries(list?.[0].params ?? [])).toEqual({
      path: { type: "string", value: "reg1" },
      challenge: { type: "string", value: "cv1" },
      authorization: { type: "string", value: "a" },
    });
    const challenge = parseSfItem('"new challenge";id="my session"');
    expect(challenge?.item).toEqual({ type: "string", value: "new challenge" });
    expect(challenge?.params.get("id")).toEqual({ type: "string", value: "my session" });
  });

  it.each([
    ['"unterminated', "no closing quote"],
    ['"bad \\n escape"', "an escape other than \\\" and \\\\"],
    ['"new\nline"', "a raw newline"],
    ['"ünïcode"', "non-ASCII inside a string"],
    ['"a" "b"', "two items without a comma"],
    ['"a";ID="x"', "an upper-case key"],
    ['"a";id=1.5', "a decimal (outside the subset)"],
    ['"a";id=:AAAA:', "a byte sequence (outside the subset)"],
  ])("refuses %j (%s)", (input) => {
    expect(parseSfItem(input)).toBeNull();
  });

  it("refuses malformed lists: a trailing comma, an unclosed inner list, garbage between members", () => {
    expect(parseSfList('"a",')).toBeNull();
    expect(parseSfList("(ES256 RS256;path=\"x\"")).toBeNull();
    expect(parseSfList('(ES256)x;path="x"')).toBeNull();
    expect(parseSfList("")).toEqual([]);
  });
});

describe("building the registration header", () => {
  it("writes one value under both names, in the draft's form, and it parses back", () => {
    const built = buildRegistrationHeader({ path: "/dbsc/register", challenge: CHALLENGE, authorization: 'sign-in "42"' });
    expect(built.ok && built.value).toBe(`(ES256 RS256);path="/dbsc/register";challenge="${CHALLENGE}";authorization="sign-in \\"42\\""`);
    expect(built.ok && built.headers).toEqual(DBSC_REGISTRATION_HEADERS.map((name) => [name, built.ok && built.value]));
    const [entry] = parseSfList(built.ok ? built.value : "") ?? [];
    expect(entry?.params.get("authorization")).toEqual({ type: "string", value: 'sign-in "42"' });
    expect(entry?.params.get("challenge")).toEqual({ type: "string", value: CHALLENGE });
  });

  it("offers only the algorithms asked for, and leaves authorization out when there is none", () => {
    const built = buildRegistrationHeader({ path: "https://app.example.com/dbsc/register", challenge: CHALLENGE, algorithms: ["ES256"] });
    expect(built.ok && built.value).toBe(`(ES256);path="https://app.example.com/dbsc/register";challenge="${CHALLENGE}"`);
  });

  it.each([
    ["a short challenge", { path: "/dbsc/register", challenge: "short" }],
    ["a quote in the challenge", { path: "/dbsc/register", challenge: `${CHALLENGE}"` }],
    ["a comma in the challenge", { path: "/dbsc/register", challenge: `${CHALLENGE},x` }],
    ["a newline in the path", { path: "/dbsc/re\ngister", challenge: CHALLENGE }],
    ["Unicode in the path", { path: "/dbsc/r\u00e9gister", challenge: CHALLENGE }],
    ["a quote in the path", { path: '/dbsc/"register', challenge: CHALLENGE }],
    ["a scheme-relative path", { path: "//evil.example/register", challenge: CHALLENGE }],
    ["a plain-http URL", { path: "http://app.example.com/register", challenge: CHALLENGE }],
    ["header injection in authorization", { path: "/dbsc/register", challenge: CHALLENGE, authorization: "a\r\nSet-Cookie: x=1" }],
    ["an empty authorization", { path: "/dbsc/register", challenge: CHALLENGE, authorization: "" }],
    ["no algorithm", { path: "/dbsc/register", challenge: CHALLENGE, algorithms: [] }],
    ["a repeated algorithm", { path: "/dbsc/register", challenge: CHALLENGE, algorithms: ["ES256", "ES256"] }],
  ] as const)("refuses %s: %j", (_, input) => {
    expect(buildRegistrationHeader(input)).toEqual({ ok: false, reason: "invalid_value" });
  });
});

describe("building the challenge header", () => {
  it("writes the draft's form under both names, and it parses back", () => {
    const built = buildChallengeHeader({ challenge: CHALLENGE, sessionId: SESSION_ID });
    expect(built.ok && built.value).toBe(`"${CHALLENGE}";id="${SESSION_ID}"`);
    expect(built.ok && built.headers.map(([name]) => name)).toEqual([...DBSC_CHALLENGE_HEADERS]);
    const parsed = parseSfItem(built.ok ? built.value : "");
    expect(parsed?.item).toEqual({ type: "string", value: CHALLENGE });
    expect(parsed?.params.get("id")).toEqual({ type: "string", value: SESSION_ID });
  });

  it.each(['with"quote-0000000000', "with\\backslash-00000000", "with\nnewline-000000000", "with,comma-0000000000", "wïth-ünicode-000000000", ""])(
    "refuses the session id %j",
    (sessionId) => {
      expect(buildChallengeHeader({ challenge: CHALLENGE, sessionId })).toEqual({ ok: false, reason: "invalid_value" });
    },
  );
});

describe("reading the session id", () => {
  it.each(["Sec-Secure-Session-Id", "Sec-Session-Id"])("reads %s, bare (Chrome) or as an sf-string (the draft)", (name) => {
    expect(readSessionIdHeader(headers({ [name]: SESSION_ID }))).toEqual({ ok: true, value: SESSION_ID, headerName: name });
    expect(readSessionIdHeader(headers({ [name]: ` "${SESSION_ID}";ignored=?1 ` }))).toEqual({ ok: true, value: SESSION_ID, headerName: name });
  });

  it("prefers the current name, and does not fall back when it is malformed", () => {
    const both = { "Sec-Secure-Session-Id": SESSION_ID, "Sec-Session-Id": "olderNameSession-000001" };
    expect(readSessionIdHeader(headers(both))).toMatchObject({ ok: true, value: SESSION_ID, headerName: "Sec-Secure-Session-Id" });
    expect(readSessionIdHeader(headers({ ...both, "Sec-Secure-Session-Id": '"broken' }))).toEqual({ ok: false, reason: "malformed" });
    expect(readSessionIdHeader(headers({}))).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["", "empty"],
    [`"${SESSION_ID}`, "an unclosed string"],
    [`${SESSION_ID}, ${SESSION_ID}`, "two values (repeated headers joined by Fetch)"],
    [`"${SESSION_ID}", "${SESSION_ID}"`, "a list of two strings"],
    [`"a\\"b-000000000000000"`, "an escaped quote inside"],
    [`${SESSION_ID}\nX-Injected: 1`, "a newline"],
    ["sëssion-ünicode-000000000", "Unicode"],
    ["short", "too short to be ours"],
    ["ES256", "a token that is not an id"],
    ["?1", "a boolean"],
  ])("refuses %j (%s)", (value) => {
    expect(readSessionIdHeader(headers({ "Sec-Secure-Session-Id": value }))).toEqual({ ok: false, reason: "malformed" });
  });

  it("reads real Fetch headers, whose repeated values are joined", () => {
    const repeated = new Headers();
    repeated.append("Sec-Secure-Session-Id", SESSION_ID);
    repeated.append("Sec-Secure-Session-Id", SESSION_ID);
    expect(readSessionIdHeader(repeated)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("reading the proof", () => {
  it("reads either name, preferring Secure-Session-Response", () => {
    expect(readSessionResponseHeader(headers({ "Sec-Session-Response": JWS }))).toEqual({ ok: true, value: JWS, headerName: "Sec-Session-Response" });
    const both = headers({ "Secure-Session-Response": `"${JWS}"`, "Sec-Session-Response": "a.b.c" });
    expect(readSessionResponseHeader(both)).toEqual({ ok: true, value: JWS, headerName: "Secure-Session-Response" });
  });

  it("refuses what is not one compact JWS, and an oversized one", () => {
    for (const value of ["a.b", "a.b.c.d", `${JWS}, ${JWS}`, `${JWS};x`, `"${JWS}`, "a.b.c=", "a .b.c", "ä.b.c"]) {
      expect(readSessionResponseHeader(headers({ "Secure-Session-Response": value }))).toEqual({ ok: false, reason: "malformed" });
    }
    const huge = `${"a".repeat(9000)}.b.c`;
    expect(readSessionResponseHeader(headers({ "Secure-Session-Response": huge }))).toEqual({ ok: false, reason: "too_large" });
  });
});
