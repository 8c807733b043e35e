import { type AST, parseRegExpLiteral } from "@eslint-community/regexpp";

/**
 * What is known about the strings one regex node matches. Sets hold at most `CAP` strings so cross products stay
 * small; `[""]` as prefixes or suffixes means nothing is known there.
 */
interface Info {
  /** Every string the node can match, when that language is finite and small. */
  exact?: string[];
  /** Every match starts with one of these. */
  prefixes: string[];
  /** Every match ends with one of these. */
  suffixes: string[];
  /** Every match contains one of these (none empty); absent when no such set is known. */
  required?: string[];
}

const CAP = 32;
/** Repetitions of a quantified element looked at: fewer than the minimum still border the text around them. */
const MAX_COPIES = 8;
const OPAQUE: Info = { prefixes: [""], suffixes: [""] };

/** Literals such that any string any of `patterns` matches (RegExp#test) contains at least one of them. */
export function requiredLiterals(patterns: readonly RegExp[]): string[] {
  const found = [...new Set(patterns.flatMap(patternLiterals))].sort();
  // A literal containing another is found wherever the other is, so it adds nothing.
  return found.filter((literal) => !found.some((other) => other !== literal && literal.includes(other)));
}

function patternLiterals(pattern: RegExp): string[] {
  if (pattern.flags.includes("i")) {
    throw new Error(`${String(pattern)}: the i flag lets a match differ in case from any literal in the pattern`);
  }
  return parseRegExpLiteral(pattern).pattern.alternatives.flatMap((alternative) => {
    const { required } = sequence(alternative.elements.map(element));
    if (!required) throw new Error(`${String(pattern)}: no literal is in every match of the alternative "${alternative.raw}"`);
    return required;
  });
}

function element(node: AST.Element): Info {
  switch (node.type) {
    case "Character":
      return fromExact([String.fromCodePoint(node.value)]);
    case "Group":
      if (node.modifiers?.add.ignoreCase) return OPAQUE;
      return union(node.alternatives.map((a) => sequence(a.elements.map(element))));
    case "CapturingGroup":
      return union(node.alternatives.map((a) => sequence(a.elements.map(element))));
    case "Quantifier":
      return quantifier(node);
    default:
      // Classes, escapes like \d, backreferences and assertions: no literal, and a run of literals ends here (an
      // assertion consumes nothing, but ending the run at it is the simple sound choice).
      return OPAQUE;
  }
}

/**
 * Concatenation. Consecutive exact parts join into a run (the strings the text so far ends with); at any other
 * part the run followed by that part's prefixes is a candidate, and the part's suffixes start the next run.
 */
function sequence(parts: readonly Info[]): Info {
  let run = [""];
  let prefixes: string[] | undefined;
  let exact = true;
  const candidates: string[][] = [];
  for (const part of parts) {
    const extended = part.exact && cross(run, part.exact);
    if (extended) {
      run = extended;
      continue;
    }
    exact = false;
    const joined = cross(run, part.prefixes) ?? run;
    candidates.push(joined);
    if (part.required) candidates.push(part.required);
    prefixes ??= joined;
    run = part.suffixes;
  }
  if (exact) return fromExact(run);
  candidates.push(run);
  return { prefixes: prefixes ?? run, suffixes: run, required: best(candidates) };
}

function union(alternatives: readonly Info[]): Info {
  const exact = alternatives.every((a) => a.exact) ? bounded(alternatives.flatMap((a) => a.exact ?? [])) : undefined;
  if (exact) return fromExact(exact);
  return {
    prefixes: bounded(alternatives.flatMap((a) => a.prefixes)) ?? [""],
    suffixes: bounded(alternatives.flatMap((a) => a.suffixes)) ?? [""],
    required: alternatives.every((a) => a.required) ? unique(alternatives.flatMap((a) => a.required ?? [])) : undefined,
  };
}

function quantifier(node: AST.Quantifier): Info {
  const inner = element(node.element);
  const expanded = inner.exact && expand(inner.exact, node.min, node.max);
  if (expanded) return fromExact(expanded);
  if (node.min === 0) return OPAQUE;
  // Any match starts with `min` repetitions and ends with `min` repetitions, each contained in it.
  const copies = sequence(Array.from({ length: Math.min(node.min, MAX_COPIES) }, () => inner));
  return { prefixes: copies.prefixes, suffixes: copies.suffixes, required: copies.required };
}

/** Every concatenation of `min` to `max` strings of `set`, or undefined when there are more than `CAP`. */
function expand(set: readonly string[], min: number, max: number): string[] | undefined {
  if (set.every((s) => s === "")) return [""];
  if (max === Infinity) return undefined;
  const all = new Set<string>();
  let power: string[] | undefined = [""];
  for (let i = 0; i <= max; i += 1) {
    if (i >= min) for (const s of power) all.add(s);
    if (all.size > CAP) return undefined;
    if (i < max && !(power = cross(power, set))) return undefined;
  }
  return [...all];
}

function fromExact(set: string[]): Info {
  return { exact: set, prefixes: set, suffixes: set, required: usable(set) ? set : undefined };
}

function cross(left: readonly string[], right: readonly string[]): string[] | undefined {
  if (left.length * right.length > CAP) return undefined;
  return unique(left.flatMap((l) => right.map((r) => l + r)));
}

/** The candidate with the longest shortest literal in UTF-8 bytes (the scanner's unit), then the fewest literals. */
function best(candidates: readonly string[][]): string[] | undefined {
  let chosen: string[] | undefined;
  let chosenShortest = 0;
  for (const candidate of candidates) {
    if (!usable(candidate)) continue;
    const shortest = Math.min(...candidate.map((s) => Buffer.byteLength(s, "utf8")));
    if (!chosen || shortest > chosenShortest || (shortest === chosenShortest && candidate.length < chosen.length)) {
      chosen = candidate;
      chosenShortest = shortest;
    }
  }
  return chosen;
}

/** A required set must not hold "" (found everywhere) nor half a surrogate pair (it has no UTF-8 bytes to find). */
function usable(set: readonly string[]): boolean {
  return set.length > 0 && set.every((s) => s !== "" && s.isWellFormed());
}

function unique(strings: readonly string[]): string[] {
  return [...new Set(strings)];
}

function bounded(strings: readonly string[]): string[] | undefined {
  const set = unique(strings);
  return set.length > CAP ? undefined : set;
}
