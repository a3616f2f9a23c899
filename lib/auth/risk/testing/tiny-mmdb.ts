/**
 * Writes a small IPv4 MaxMind DB (MMDB format 2.0) for tests, so the city
 * path of geo.ts runs against real bytes without shipping a licensed
 * database. Only what the tests need: non-overlapping networks, maps,
 * strings, non-negative integers (uint32) and other numbers (double).
 * Format: https://maxmind.github.io/MaxMind-DB/
 */

export type MmdbValue = string | number | MmdbValue[] | { [key: string]: MmdbValue };

const RECORD_SIZE_BITS = 24;
const DATA_SECTION_SEPARATOR_BYTES = 16;
const METADATA_MARKER = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from("MaxMind.com")]);
const TYPE = { string: 2, double: 3, uint32: 6, map: 7, array: 11 } as const;

type Slot = TrieNode | { data: number } | null;
type TrieNode = { children: [Slot, Slot] };

/** `networks` maps IPv4 CIDRs ("192.0.2.0/24") to the record a lookup inside them returns. */
export function tinyMmdb(networks: Record<string, MmdbValue>, databaseType = "Tiny-City"): Buffer {
  const root: TrieNode = { children: [null, null] };
  const records = Object.entries(networks).map(([cidr, record], index) => {
    insert(root, cidr, index);
    return encode(record);
  });

  // Breadth first, so the root is node 0 as readers expect.
  const nodes: TrieNode[] = [root];
  for (let index = 0; index < nodes.length; index++) {
    for (const child of nodes[index].children) if (child && "children" in child) nodes.push(child);
  }
  const dataOffsets: number[] = [];
  let offset = 0;
  for (const bytes of records) {
    dataOffsets.push(offset);
    offset += bytes.length;
  }
  const recordValue = (slot: Slot): number => {
    if (slot === null) return nodes.length; // "no data"
    if ("children" in slot) return nodes.indexOf(slot);
    return nodes.length + DATA_SECTION_SEPARATOR_BYTES + dataOffsets[slot.data];
  };
  const tree = Buffer.alloc(nodes.length * 6);
  nodes.forEach((node, index) => {
    tree.writeUIntBE(recordValue(node.children[0]), index * 6, 3);
    tree.writeUIntBE(recordValue(node.children[1]), index * 6 + 3, 3);
  });

  const metadata = encode({
    node_count: nodes.length,
    record_size: RECORD_SIZE_BITS,
    ip_version: 4,
    database_type: databaseType,
    languages: ["en"],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_767_225_600,
    description: { en: "A test database" },
  });
  return Buffer.concat([tree, Buffer.alloc(DATA_SECTION_SEPARATOR_BYTES), ...records, METADATA_MARKER, metadata]);
}

function insert(root: TrieNode, cidr: string, data: number): void {
  const [address, prefix] = cidr.split("/");
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const bits = Number(prefix);
  let node = root;
  for (let depth = 0; depth < bits; depth++) {
    const bit = Math.floor(value / 2 ** (31 - depth)) % 2;
    if (depth === bits - 1) {
      node.children[bit] = { data };
    } else {
      const next = node.children[bit];
      node = next && "children" in next ? next : (node.children[bit] = { children: [null, null] });
    }
  }
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([control(TYPE.string, bytes.length), bytes]);
  }
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value);
      return Buffer.concat([control(TYPE.uint32, 4), bytes]);
    }
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([control(TYPE.double, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(TYPE.array, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(TYPE.map, entries.length), ...entries.flatMap(([key, item]) => [encode(key), encode(item)])]);
}

/** The control byte(s): type in the top 3 bits (types above 7 are "extended"), size below. */
function control(type: number, size: number): Buffer {
  if (size >= 29 + 256) throw new Error("tiny-mmdb: values this large are not needed by the tests");
  const sizeBits = size < 29 ? size : 29;
  const extraSize = size < 29 ? [] : [size - 29];
  const head = type <= 7 ? [(type << 5) | sizeBits] : [sizeBits, type - 7];
  return Buffer.from([...head, ...extraSize]);
}
