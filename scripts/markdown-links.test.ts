import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The documentation stands alone: every relative link in the repository's
 * Markdown resolves to a file in it (and, for a link to a heading of another
 * Markdown file, to that heading), and nothing points at the notes beside the
 * checkout that a fork does not have.
 */

const ROOT = process.cwd();
/** Folders a checkout may hold that are not the project's own files. */
const NOT_OURS = new Set(["node_modules", ".next", ".git", "lib/generated", "test-results", "playwright-report", "data", "bench/results", "coverage"]);
/** Written in two parts so that this file does not mention it itself. */
const OUTSIDE_NOTES = ["..", "shared"].join("/");

/** The project's files: what git tracks or would track, else a walk that skips what is not ours. */
function projectFiles(): string[] {
  try {
    const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" });
    return listed.split("\0").filter((file) => file !== "" && existsSync(join(ROOT, file)));
  } catch {
    return walk("");
  }
}

function walk(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (NOT_OURS.has(path)) return [];
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Markdown without its fenced code blocks and inline code, where brackets are code, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Targets of inline links and images `[text](target "title")` and of reference definitions `[x]: target`. */
export function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)].map((m) => m[1]);
  const definitions = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  return [...inline, ...definitions];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_~]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a Markdown file offers, numbered as GitHub numbers repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const match of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = headingSlug(match[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with one link from `file`, or null when it resolves. */
function brokenLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto:, …: not a file of ours
  const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const resolved = path === "" ? file : normalize(join(dirname(file), path));
  if (resolved.startsWith(`..${sep}`) || resolved === "..") return `${target} leaves the repository`;
  const absolute = join(ROOT, resolved);
  if (!existsSync(absolute)) return `${target} does not exist`;
  if (anchor && resolved.endsWith(".md") && statSync(absolute).isFile()) {
    if (!anchorsOf(readFileSync(absolute, "utf8")).has(anchor)) return `${target} names no heading of ${resolved}`;
  }
  return null;
}

const files = projectFiles();
const markdownFiles = files.filter((file) => file.endsWith(".md"));

describe("the documentation's links", () => {
  it("finds the Markdown it checks", () => {
    expect(markdownFiles).toContain("README.md");
  });

  it("every relative link in every Markdown file resolves inside the repository", () => {
    const broken = markdownFiles.flatMap((file) =>
      linkTargets(readFileSync(join(ROOT, file), "utf8")).flatMap((target) => {
        const problem = brokenLink(file, target);
        return problem === null ? [] : [`${file}: ${problem}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it(`no file of the project points at ${OUTSIDE_NOTES}, which a fork does not have`, () => {
    const mentions = files.filter((file) => {
      const content = readFileSync(join(ROOT, file));
      return !content.includes(0) && content.toString("utf8").includes(OUTSIDE_NOTES);
    });
    expect(mentions.map((file) => relative(ROOT, join(ROOT, file)))).toEqual([]);
  });
});

describe("linkTargets and headingSlug", () => {
  it("reads inline links, images and definitions, and skips code", () => {
    const markdown = [
      "See [the docs](docs/a.md#one \"title\") and ![x](img.png).",
      "`[not](a-link.md)`",
      "```",
      "[also not](code.md)",
      "```",
      "[ref]: lib/x.ts",
    ].join("\n");
    expect(linkTargets(markdown)).toEqual(["docs/a.md#one", "img.png", "lib/x.ts"]);
  });

  it("makes GitHub's anchors", () => {
    expect(headingSlug("Sessions and cookies")).toBe("sessions-and-cookies");
    expect(headingSlug("`execute`: one choke point (§ 2)")).toBe("execute-one-choke-point--2");
    expect(headingSlug("Add a locale")).toBe("add-a-locale");
  });
});
