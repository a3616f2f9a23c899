import { describe, expect, it } from "vitest";
import { stringInJson } from "./json-body";

describe("reading a string out of a response body", () => {
  it("follows object keys and array indexes", () => {
    expect(stringInJson('{"data":{"binding":"b1"}}', "data", "binding")).toBe("b1");
    expect(stringInJson('[{"text":"newest"},{"text":"older"}]', "0", "text")).toBe("newest");
  });

  it.each([
    ["a body that is not JSON", "<html>502</html>"],
    ["a path that is not there", '{"data":null}'],
    ["a value that is not a string", '{"data":{"binding":42}}'],
    ["an empty list", "[]"],
  ])("answers undefined for %s", (_case, body) => {
    expect(stringInJson(body, "data", "binding") ?? stringInJson(body, "0", "text")).toBeUndefined();
  });
});
