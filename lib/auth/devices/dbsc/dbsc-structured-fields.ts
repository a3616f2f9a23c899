/**
 * The part of HTTP Structured Field Values (RFC 9651) that DBSC's headers
 * use: lists, inner lists, parameters, and the bare items strings, tokens,
 * integers and booleans. No structured-fields library is installed, and
 * the subset is small enough to read in one sitting.
 *
 * Anything outside the subset (decimals, byte sequences, dates, display
 * strings) makes the whole value unreadable rather than half-read: a
 * header this server cannot fully parse is not one it acts on.
 */

export type SfBareItem =
  | { type: "string"; value: string }
  | { type: "token"; value: string }
  | { type: "integer"; value: number }
  | { type: "boolean"; value: boolean };

/** Parameters in order; a repeated key keeps its last value (RFC 9651 §4.2.3.2). */
export type SfParameters = Map<string, SfBareItem>;

export interface SfItem {
  kind: "item";
  item: SfBareItem;
  params: SfParameters;
}

export interface SfInnerList {
  kind: "inner-list";
  items: SfItem[];
  params: SfParameters;
}

export type SfListMember = SfItem | SfInnerList;

/** sf-string allows printable ASCII only (%x20-7E): no control characters, no newlines, no Unicode. */
const SF_STRING_CHARS = /^[\x20-\x7e]*$/;
const SF_TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
const SF_KEY = /^[a-z*][a-z0-9_\-.*]*$/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
/** RFC 9651 §3.3.1: at most 15 digits, so every integer is exact in a double. */
const MAX_INTEGER_DIGITS = 15;

/** `"…"` with `"` and `\` escaped; null for a character an sf-string cannot carry. */
export function serializeSfString(value: string): string | null {
  if (!SF_STRING_CHARS.test(value)) return null;
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** The token itself, or null when it is not one (a token cannot be escaped, only refused). */
export function serializeSfToken(value: string): string | null {
  return SF_TOKEN.test(value) ? value : null;
}

export function serializeSfKey(value: string): string | null {
  return SF_KEY.test(value) ? value : null;
}

/** An sf-list, or null when any part of `input` is not one. */
export function parseSfList(input: string): SfListMember[] | null {
  const parser = new Parser(input);
  parser.skipSpaces();
  const members: SfListMember[] = [];
  while (!parser.atEnd()) {
    const member = parser.peek() === "(" ? parser.innerList() : parser.item();
    if (!member) return null;
    members.push(member);
    parser.skipOws();
    if (parser.atEnd()) return members;
    if (parser.next() !== ",") return null;
    parser.skipOws();
    // A trailing comma is malformed, not an empty member.
    if (parser.atEnd()) return null;
  }
  return members;
}

/** A single sf-item with its parameters, or null. */
export function parseSfItem(input: string): SfItem | null {
  const parser = new Parser(input);
  parser.skipSpaces();
  const item = parser.item();
  if (!item) return null;
  parser.skipSpaces();
  return parser.atEnd() ? item : null;
}

class Parser {
  private position = 0;

  constructor(private readonly input: string) {}

  atEnd(): boolean {
    return this.position >= this.input.length;
  }

  peek(): string {
    return this.input.charAt(this.position);
  }

  next(): string {
    return this.input.charAt(this.position++);
  }

  skipSpaces(): void {
    while (this.peek() === " ") this.position++;
  }

  skipOws(): void {
    while (this.peek() === " " || this.peek() === "\t") this.position++;
  }

  innerList(): SfInnerList | null {
    if (this.next() !== "(") return null;
    const items: SfItem[] = [];
    while (!this.atEnd()) {
      this.skipSpaces();
      if (this.peek() === ")") {
        this.position++;
        const params = this.parameters();
        return params ? { kind: "inner-list", items, params } : null;
      }
      const item = this.item();
      if (!item) return null;
      items.push(item);
      const after = this.peek();
      if (after !== " " && after !== ")") return null;
    }
    return null;
  }

  item(): SfItem | null {
    const item = this.bareItem();
    if (!item) return null;
    const params = this.parameters();
    return params ? { kind: "item", item, params } : null;
  }

  private parameters(): SfParameters | null {
    const params: SfParameters = new Map();
    while (this.peek() === ";") {
      this.position++;
      this.skipSpaces();
      const key = this.key();
      if (!key) return null;
      let value: SfBareItem | null = { type: "boolean", value: true };
      if (this.peek() === "=") {
        this.position++;
        value = this.bareItem();
        if (!value) return null;
      }
      params.delete(key);
      params.set(key, value);
    }
    return params;
  }

  private key(): string | null {
    const first = this.peek();
    if (!/[a-z*]/.test(first)) return null;
    let key = "";
    while (!this.atEnd() && KEY_CHAR.test(this.peek())) key += this.next();
    return key;
  }

  private bareItem(): SfBareItem | null {
    const first = this.peek();
    if (first === '"') return this.string();
    if (/[A-Za-z*]/.test(first)) return this.token();
    if (/[0-9-]/.test(first)) return this.integer();
    if (first === "?") return this.boolean();
    return null;
  }

  private string(): SfBareItem | null {
    this.position++;
    let value = "";
    while (!this.atEnd()) {
      const char = this.next();
      if (char === "\\") {
        const escaped = this.next();
        // Only `\"` and `\\` are escapes; anything else is malformed, not literal.
        if (escaped !== '"' && escaped !== "\\") return null;
        value += escaped;
      } else if (char === '"') {
        return { type: "string", value };
      } else if (!SF_STRING_CHARS.test(char)) {
        return null;
      } else {
        value += char;
      }
    }
    // No closing quote.
    return null;
  }

  private token(): SfBareItem {
    let value = this.next();
    while (!this.atEnd() && TOKEN_CHAR.test(this.peek())) value += this.next();
    return { type: "token", value };
  }

  private integer(): SfBareItem | null {
    let sign = 1;
    if (this.peek() === "-") {
      sign = -1;
      this.position++;
    }
    let digits = "";
    while (!this.atEnd() && /[0-9]/.test(this.peek())) digits += this.next();
    // Decimals are outside the subset: a "." here is refused, not truncated.
    if (digits.length === 0 || digits.length > MAX_INTEGER_DIGITS || this.peek() === ".") return null;
    return { type: "integer", value: sign * Number(digits) };
  }

  private boolean(): SfBareItem | null {
    this.position++;
    const char = this.next();
    if (char === "1") return { type: "boolean", value: true };
    if (char === "0") return { type: "boolean", value: false };
    return null;
  }
}
