import { readFileSync } from "node:fs";
import { fileErrorReason, RiskConfigurationError } from "./configuration-error";
import { compileNetworkList, type ListedEntry, type NetworkList } from "./network-list";

/**
 * The anonymizer list: addresses whose traffic hides where it comes from
 * (Tor exits, open proxies, a VPN's endpoints), kept in a text file a team
 * updates without a release. One IP or CIDR per line; `#` starts a comment;
 * blank lines are ignored. lib/auth/risk/anonymizers.example.txt shows the
 * format and how to fill it.
 */

/** The file's entries as a matcher; throws RiskConfigurationError naming `source` and each bad line. */
export function parseAnonymizerList(text: string, source = "anonymizer list"): NetworkList {
  const compiled = compileNetworkList(entriesOf(text));
  if (!compiled.ok) throw new RiskConfigurationError(`${source} is invalid:\n  ${compiled.problems.join("\n  ")}`);
  return compiled.list;
}

/**
 * Reads the file once, synchronously, when the server's risk sources are
 * built: a list that cannot be read is a configuration error at start, not
 * an empty list that quietly lets every Tor exit through.
 */
export function loadAnonymizerList(path: string): NetworkList {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new RiskConfigurationError(`The anonymizer list ${path} cannot be read (${fileErrorReason(error)}).`);
  }
  return parseAnonymizerList(text, `The anonymizer list ${path}`);
}

function entriesOf(text: string): ListedEntry[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const entry = line.split("#")[0].trim();
    return entry === "" ? [] : [{ text: entry, where: `line ${index + 1}` }];
  });
}
