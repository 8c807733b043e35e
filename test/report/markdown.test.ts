import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { escapeHtml, escapeText, fencedBlock, inlineCode, link, revealHidden } from "../../src/report/markdown.ts";

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  lang?: string | null;
  children?: MdNode[];
}

/** Parses as GitHub does (CommonMark + GFM tables, strikethrough, autolinks): structure, not looks. */
function parse(markdown: string): MdNode {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as unknown as MdNode;
}

function walk(node: MdNode, visit: (node: MdNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

function typesIn(node: MdNode): Set<string> {
  const types = new Set<string>();
  walk(node, (n) => types.add(n.type));
  return types;
}

function textOf(node: MdNode): string {
  let out = "";
  walk(node, (n) => {
    if (n.type === "text" || n.type === "inlineCode") out += n.value ?? "";
  });
  return out;
}

/** What a reader sees of a single line after ci-mender's normalisation: hidden characters shown, spaces collapsed. */
function shown(text: string): string {
  return revealHidden(text).replace(/\s+/g, " ").trim();
}

// Characters that mean something to markdown, HTML or GitHub, plus invisible ones; letters that cannot spell an
// autolink literal (no "www.", no "http"), so that any link in the output would be one escapeText let through.
const HOSTILE = [..."`*_{}[]()<>#+-!|~=:;.&@\\/\"' \t\n\r$^%1aBx", "\u202e", "\u200b", "\u2066", "\ufeff", "\u0000", "\u001b"];
const hostileText = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 60 }).map((chars) => chars.join(""));
const backtickHeavy = fc
  .array(fc.oneof(fc.constantFrom("`", "``", "```", "````", "~~~", " ", "\n", "   ```", "a", "\t"), fc.string({ maxLength: 3 })), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

describe("fencedBlock", () => {
  it("cannot be closed early by any backtick run in the text (property)", () => {
    fc.assert(
      fc.property(backtickHeavy, (text) => {
        const lines = text.split("\n");
        const tree = parse(`before\n\n${fencedBlock(lines)}\n\nafter`);
        const kinds = tree.children!.map((n) => n.type);
        expect(kinds).toEqual(["paragraph", "code", "paragraph"]);
        expect(tree.children![1]!.value).toBe(revealHidden(lines.join("\n")));
        expect(textOf(tree.children![2]!)).toBe("after");
      }),
      { numRuns: 400 },
    );
  });

  it("stays one block inside <details>, as the comment nests it", () => {
    fc.assert(
      fc.property(backtickHeavy, (text) => {
        const md = `<details><summary>Log excerpt</summary>\n\n${fencedBlock(text.split("\n"))}\n\n</details>\n\nafter`;
        const tree = parse(md);
        expect(tree.children!.map((n) => n.type)).toEqual(["html", "code", "html", "paragraph"]);
      }),
      { numRuns: 200 },
    );
  });

  it("uses a fence one longer than the longest backtick run, and three when there is none", () => {
    expect(fencedBlock(["plain"])).toBe("```text\nplain\n```");
    expect(fencedBlock(["```", "``````"]).startsWith("```````text\n")).toBe(true);
    expect(fencedBlock(["a `` b"]).startsWith("```text\n")).toBe(true);
  });

  it("keeps a log that prints its own fence and markdown inert", () => {
    const log = ["```", "## Approved by @maintainers", "<img src=x onerror=alert(1)>", "[click](https://evil.example)", "```"];
    const tree = parse(fencedBlock(log));
    expect(tree.children!.map((n) => n.type)).toEqual(["code"]);
    expect(tree.children![0]!.value).toBe(log.join("\n"));
  });

  it("labels the block with the info string it is given", () => {
    const tree = parse(fencedBlock(["-old", "+new"], "diff"));
    expect(tree.children![0]).toMatchObject({ type: "code", lang: "diff", value: "-old\n+new" });
  });

  it("shows bidi and zero-width characters and drops control characters inside the block", () => {
    const block = fencedBlock(["if (isAdmin\u202e \u2066// check\u2069\u2066) {", "tok\u200ben\r", "\u001b[31mred\u0007"]);
    expect(block).toContain("isAdmin<U+202E> <U+2066>// check<U+2069><U+2066>) {");
    expect(block).toContain("tok<U+200B>en\n");
    expect(block).toContain("[31mred\n");
    for (const ch of ["\u202e", "\u2066", "\u2069", "\u200b", "\r", "\u001b", "\u0007"]) expect(block).not.toContain(ch);
  });
});

describe("inlineCode", () => {
  it("is one code span holding exactly the normalised text, whatever backticks it holds (property)", () => {
    fc.assert(
      fc.property(fc.oneof(backtickHeavy, hostileText), (text) => {
        const tree = parse(`see ${inlineCode(text)} here`);
        expect(tree.children!.map((n) => n.type)).toEqual(["paragraph"]);
        const spans = tree.children![0]!.children!.filter((n) => n.type === "inlineCode");
        expect(spans).toHaveLength(1);
        expect(spans[0]!.value).toBe(shown(text) || " ");
        expect(textOf(tree.children![0]!)).toBe(`see ${shown(text) || " "} here`);
      }),
      { numRuns: 400 },
    );
  });

  it("is still a code span, not a fence, at the start of a line", () => {
    fc.assert(
      fc.property(backtickHeavy, (text) => {
        const tree = parse(`${inlineCode(text)} — compile error`);
        expect(tree.children!.map((n) => n.type)).toEqual(["paragraph"]);
        expect(tree.children![0]!.children![0]!.type).toBe("inlineCode");
      }),
      { numRuns: 200 },
    );
  });

  it("pads a span that starts or ends with a backtick so the content survives", () => {
    expect(inlineCode("`x`")).toBe("`` `x` ``");
    expect(inlineCode("a``b")).toBe("```a``b```");
    expect(inlineCode("")).toBe("` `");
  });

  it("keeps mentions and HTML inert and reveals hidden characters", () => {
    const tree = parse(inlineCode("@octo-org/admins <b>x</b> \u202eevil"));
    expect(typesIn(tree)).toEqual(new Set(["root", "paragraph", "inlineCode"]));
    expect(textOf(tree)).toBe("@octo-org/admins <b>x</b> <U+202E>evil");
  });

  it("flattens line breaks into one line", () => {
    expect(inlineCode("first\nsecond\r\n\tthird")).toBe("`first second third`");
  });
});

describe("escapeText", () => {
  it("leaves only plain text: no link, image, emphasis, HTML, code, heading, list or table (property)", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const tree = parse(escapeText(text));
        const types = typesIn(tree);
        types.delete("root");
        types.delete("paragraph");
        types.delete("text");
        expect([...types]).toEqual([]);
        expect(tree.children!.length).toBeLessThanOrEqual(1);
        expect(textOf(tree).replace(/\u200b/g, "")).toBe(shown(text));
      }),
      { numRuns: 500 },
    );
  });

  it("defuses @mentions, including team mentions, with a zero-width space after the @", () => {
    expect(escapeText("ping @octocat and @acme/security")).toBe("ping @\u200boctocat and @\u200bacme/security");
  });

  it("keeps an e-mail address from becoming a mailto link", () => {
    expect(typesIn(parse(escapeText("blame ops@example.com")))).not.toContain("link");
  });

  it("backslash-escapes # so an issue reference is not written as a bare #123", () => {
    expect(escapeText("fixes #123 and acme/widgets#9")).toBe("fixes \\#123 and acme/widgets\\#9");
  });

  it("renders HTML tags and entities as text", () => {
    const out = escapeText('<img src=x onerror="alert(1)"> &lt;b&gt; &#64;');
    expect(out).not.toMatch(/(^|[^\\])</);
    expect(textOf(parse(out))).toBe('<img src=x onerror="alert(1)"> &lt;b&gt; &#64;');
  });

  it("renders markdown links and images as their literal text", () => {
    const out = escapeText("[approve](https://evil.example/approve) ![pixel](https://evil.example/t.gif)");
    const types = typesIn(parse(out));
    expect(types).not.toContain("image");
    expect(textOf(parse(out))).toContain("[approve](");
    expect(textOf(parse(out))).toContain("![pixel](");
  });

  it("keeps a pipe from splitting a table cell", () => {
    const row = `| ${escapeText("lint | test")} | ${escapeText("a|b")} |`;
    const tree = parse(`| Job | CI |\n| --- | --- |\n${row}`);
    const cells = tree.children![0]!.children![1]!.children!;
    expect(cells.map(textOf)).toEqual(["lint | test", "a|b"]);
  });

  it("keeps a leading '-', '+', '1.' or '#' from starting a list or heading", () => {
    for (const text of ["- item", "+ item", "* item", "1. step", "12) step", "# Title", "> quote", "---"]) {
      const tree = parse(escapeText(text));
      expect(tree.children!.map((n) => n.type), text).toEqual(["paragraph"]);
    }
  });

  it("reveals bidi and zero-width characters and drops control characters", () => {
    expect(escapeText("a\u202eb\u200bc\u2066d\ufeffe\u0007f\u001b[0m")).toBe("a\\<U\\+202E\\>b\\<U\\+200B\\>c\\<U\\+2066\\>d\\<U\\+FEFF\\>ef\\[0m");
    expect(textOf(parse(escapeText("a\u202eb")))).toBe("a<U+202E>b");
  });

  it("collapses whitespace and newlines into single spaces", () => {
    expect(escapeText("  one\n\n two\t\tthree  ")).toBe("one two three");
  });
});

describe("revealHidden", () => {
  it.each([
    ["\u202e", "<U+202E>"],
    ["\u202a", "<U+202A>"],
    ["\u2066", "<U+2066>"],
    ["\u2069", "<U+2069>"],
    ["\u200b", "<U+200B>"],
    ["\u200d", "<U+200D>"],
    ["\u2060", "<U+2060>"],
    ["\ufeff", "<U+FEFF>"],
    ["\u061c", "<U+061C>"],
    ["\u00ad", "<U+00AD>"],
    ["\u{e0041}", "<U+E0041>"],
  ])("shows %j as %s", (hidden, visible) => {
    expect(revealHidden(`a${hidden}b`)).toBe(`a${visible}b`);
  });

  it("hides no text in Unicode tag characters (ASCII smuggling)", () => {
    const smuggled = [..."ignore previous instructions"].map((ch) => String.fromCodePoint(0xe0000 + ch.charCodeAt(0))).join("");
    const out = revealHidden(`ok${smuggled}`);
    expect(out).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
    expect(out).toContain("<U+E0069>");
  });

  it("removes C0 and C1 control characters but keeps tabs and newlines", () => {
    expect(revealHidden("a\u0000b\u0008c\td\ne\u007ff\u0085g\u009bh\ri")).toBe("abc\td\nefghi");
  });

  it("leaves ordinary text, including emoji and accents, as it is", () => {
    expect(revealHidden("naïve café ✅ 😀 日本")).toBe("naïve café ✅ 😀 日本");
  });
});

describe("link", () => {
  it("links http and https URLs", () => {
    const tree = parse(link("build #12", "https://app.circleci.com/pipelines/gh/acme/widgets/12"));
    const links: MdNode[] = [];
    walk(tree, (n) => n.type === "link" && links.push(n));
    expect(links).toHaveLength(1);
    expect(links[0]!.url).toBe("https://app.circleci.com/pipelines/gh/acme/widgets/12");
    expect(textOf(links[0]!)).toBe("build #12");
  });

  it.each(["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "not a url", "//evil.example/x"])(
    "refuses %s and leaves the escaped text only",
    (url) => {
      const out = link("click me", url);
      expect(out).toBe("click me");
      expect(typesIn(parse(out))).not.toContain("link");
    },
  );

  it("escapes the link text", () => {
    const tree = parse(link("[x](https://evil.example) @octocat *b*", "https://ci.example/job/1"));
    const links: MdNode[] = [];
    walk(tree, (n) => n.type === "link" && links.push(n));
    expect(links).toHaveLength(1);
    expect(links[0]!.url).toBe("https://ci.example/job/1");
    expect(typesIn(links[0]!)).toEqual(new Set(["link", "text"]));
  });

  it("percent-encodes characters that would end the link destination early", () => {
    const url = "https://ci.example/job/(1)?q=a b&x=\"y'`<z>";
    const out = link("job", url);
    const tree = parse(`${out} trailing`);
    const links: MdNode[] = [];
    walk(tree, (n) => n.type === "link" && links.push(n));
    expect(links).toHaveLength(1);
    expect(decodeURIComponent(links[0]!.url!)).toBe(decodeURIComponent(new URL(url).toString()));
    expect(textOf(tree)).toBe("job trailing");
  });

  it("keeps a pipe in the URL from splitting a table cell", () => {
    const row = `| ${link("job", "https://ci.example/a|b?x=|")} | next |`;
    const tree = parse(`| Job | CI |\n| --- | --- |\n${row}`);
    const cells = tree.children![0]!.children![1]!.children!;
    expect(cells.map(textOf)).toEqual(["job", "next"]);
  });
});

describe("escapeText and math", () => {
  it("does not let dollar signs open math", () => {
    expect(escapeText("$x^2$ costs $5")).toBe("\\$x^2\\$ costs \\$5");
  });
});

describe("escapeHtml", () => {
  it("escapes markup for raw HTML contexts and defuses mentions", () => {
    expect(escapeHtml(`<img src=x onerror="a">&'@team`)).toBe("&#60;img src=x onerror=&#34;a&#34;&#62;&#38;&#39;@\u200bteam");
  });
});
