import { createExtractors, keywordSearch, lineFilter, startFilter } from "./extractors/index.ts";
import type { Draft, ExtractContext, TestCounts } from "./extractors/types.ts";
import { createFailureSet } from "./failure-set.ts";
import { EXIT, exitCode, genericFailure } from "./generic.ts";
import { infrastructureFailures } from "./extractors/infrastructure.ts";
import { normaliseCounting, readFrame } from "./normalise.ts";
import { LINE_CUT_MARK, MAX_LINE_CHARS } from "./split-lines.ts";
import { createRedactor, REDACTED } from "./redact.ts";
import type { AnalyzeOptions, Failure, LogAnalysis } from "./types.ts";

/** Lines kept for look-back (eslint's file header, go -v output, the generic fallback's step). */
const RING = 400;
const TAIL = 30;
/** Group headers that follow a failed command without starting a new step (GitLab's cleanup sections). */
const POST_GROUP = /^(?:Cleaning up|Uploading artifacts|Saving cache|Running after_script|Post )/;
/** Lines the analyser itself looks at: failing exits and the first line of a private key. */
const OWN_LINES = /exit code|xited with|Job failed|\*\*\* \[|^exit status|-----BEGIN/;
const KEY_START = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY/;
/** Lines of a plain iterable analysed together, like a chunk's lines from `splitLines`. */
const SYNC_BATCH = 1024;

/**
 * Reads a raw CI log line by line and returns the failures a maintainer needs: per-tool extraction, a generic
 * fallback per failed step, duplicates merged, everything normalised and redacted. Memory stays bounded by the
 * look-back ring and the capped failure set, whatever the log size.
 */
export async function analyzeLog(
  lines: AsyncIterable<readonly string[]> | Iterable<string>,
  options: AnalyzeOptions,
): Promise<LogAnalysis> {
  const analyzer = createLogAnalyzer(options);
  if (Symbol.iterator in lines) {
    let batch: string[] = [];
    for (const line of lines) {
      batch.push(line);
      if (batch.length === SYNC_BATCH) {
        analyzer.push(batch);
        batch = [];
      }
    }
    analyzer.push(batch);
  } else {
    for await (const batch of lines) analyzer.push(batch);
  }
  return analyzer.finish();
}

/** The synchronous core of `analyzeLog`: `push` each batch of raw lines, then `finish`. */
function createLogAnalyzer(options: AnalyzeOptions) {
  const extractors = createExtractors();
  const wanted = lineFilter(extractors, OWN_LINES);
  const wantedStart = startFilter(extractors, OWN_LINES);
  // The keywords are searched once over a whole batch of normalised lines joined by `\n`, not once per line.
  const keywords = new RegExp(keywordSearch(extractors, OWN_LINES), "gm");
  let marked = new Uint8Array(SYNC_BATCH);
  const failures = createFailureSet();
  const ring: string[] = new Array<string>(RING).fill("");
  const counts = { failed: 0, passed: 0, skipped: 0, seen: false, passedSeen: false, skippedSeen: false };
  let lineNo = 0;
  const size = { bytes: 0 };
  /** The number of the first line with a Buildkite timestamp: from there on, `--- ` lines are group headers. */
  let buildkiteAt = Infinity;
  let stepStart = 0;
  let stepTitle = "";
  let emittedInStep = 0;
  let keyLines = 0;
  /** Whether an extractor is inside a block: extractors change `active` only in `feed` and `flush`. */
  let reading = false;
  let exited = false;
  let lastExit = 0;

  const ctx: ExtractContext = {
    emit(draft) {
      failures.add(draft);
      emittedInStep += 1;
    },
    count(c: TestCounts) {
      counts.seen = true;
      counts.failed += c.failed ?? 0;
      if (c.passed !== undefined) {
        counts.passed += c.passed;
        counts.passedSeen = true;
      }
      if (c.skipped !== undefined) {
        counts.skipped += c.skipped;
        counts.skippedSeen = true;
      }
    },
    retitle: (tool, match, title) => failures.retitle(tool, match, title),
    previous(n) {
      const from = Math.max(0, lineNo - 1 - n, lineNo - RING);
      const out: string[] = [];
      for (let i = from; i < lineNo - 1; i += 1) out.push(ring[i % RING] as string);
      return out;
    },
    step: () => stepTitle,
  };

  function flushAll(): void {
    for (const ex of extractors) ex.flush(ctx);
    reading = extractors.some((ex) => ex.active);
  }

  /** The lines of the current step since its last failing exit (each exit reads its own lines). */
  function stepLines(): string[] {
    const from = Math.max(stepStart, lastExit, lineNo - RING);
    const out: string[] = [];
    for (let i = from; i < lineNo; i += 1) out.push(ring[i % RING] as string);
    return out;
  }

  /**
   * A command failed: infrastructure trouble in the step's last lines is reported as such; if nothing explained the
   * failure, a network error seen while installing does, else the generic fallback says what the output says.
   */
  function failedExit(code: number | undefined, atEnd: boolean): void {
    flushAll();
    const lines = stepLines();
    const infra = infrastructureFailures(lines);
    let weak: Draft | undefined;
    for (const d of infra) {
      if (d.weak) weak = d;
      else ctx.emit(d);
    }
    if (code === 137 && !failures.list().some((f) => f.kind === "infrastructure")) {
      ctx.emit({
        kind: "infrastructure",
        tool: "ci",
        title: "The job was killed (exit code 137), usually for running out of memory",
        message: "The command exited with code 137 (SIGKILL).",
        excerpt: lines.filter((l) => l.trim() !== "").slice(-5),
      });
    }
    // At the end of a log without an exit line, only a log with no failure at all gets the fallback.
    if (atEnd ? failures.size > 0 : emittedInStep > 0) return;
    if (weak) {
      delete weak.weak;
      ctx.emit(weak);
      return;
    }
    const generic = genericFailure(lines, code, atEnd);
    if (generic) ctx.emit(generic);
  }

  function newStep(title: string): void {
    flushAll();
    stepStart = lineNo - 1;
    stepTitle = title;
    emittedInStep = 0;
    exited = false;
  }

  /** Offers the line to the extractors reading a block, then (if it passed the pre-filter) to those it may start. */
  function dispatch(text: string, hit: boolean): void {
    if (!reading && !hit) return;
    let claimed = false;
    for (const ex of extractors) if (ex.active && ex.feed(text, ctx)) claimed = true;
    if (hit && !claimed) for (const ex of extractors) if (!ex.active && ex.trigger.test(text)) ex.feed(text, ctx);
    reading = extractors.some((ex) => ex.active);
  }

  /** Caps a caller's own line like splitLines does, and notes Buildkite's timestamps. */
  function capped(line: string, n: number): string {
    let raw = line;
    if (line.length > MAX_LINE_CHARS + LINE_CUT_MARK.length) {
      raw = line.slice(0, MAX_LINE_CHARS) + LINE_CUT_MARK;
      size.bytes += Buffer.byteLength(line) - Buffer.byteLength(raw);
    }
    if (buildkiteAt === Infinity && raw.charCodeAt(0) === 27 && raw.startsWith("\u001b_bk;t=")) buildkiteAt = n;
    return raw;
  }

  /** Sets `marked[i]` for each line `i` of the batch that holds a keyword. */
  function mark(texts: readonly string[]): void {
    const joined = texts.join("\n");
    let line = 0;
    let lineStart = 0;
    keywords.lastIndex = 0;
    for (let m = keywords.exec(joined); m !== null; m = keywords.exec(joined)) {
      while (lineStart + (texts[line] as string).length < m.index) lineStart += (texts[line++] as string).length + 1;
      marked[line] = 1;
      lineStart += (texts[line++] as string).length + 1;
      if (line >= texts.length) break;
      keywords.lastIndex = lineStart;
    }
  }

  /** Reads one normalised line; `hit` is the pre-filter's verdict on it. */
  function read(normalised: string, hit: boolean): void {
    lineNo += 1;
    let text = normalised;
    if (keyLines > 0) {
      // A private key printed over several lines: no line of it is kept.
      keyLines = text.includes("-----END") || keyLines > 100 ? 0 : keyLines + 1;
      text = REDACTED;
    }
    const c = text.charCodeAt(0);
    if (c === 35 || c === 36 || c === 45 || c === 43 || c === 126) {
      const frame = readFrame(text, lineNo >= buildkiteAt);
      if (frame) {
        if (frame.type === "endgroup") {
          ring[(lineNo - 1) % RING] = "";
          return;
        }
        if (frame.type === "group") {
          if (!POST_GROUP.test(frame.title)) newStep(frame.title);
          text = frame.title;
        } else if (frame.type === "command") {
          stepTitle = frame.command;
        } else {
          text = frame.message;
        }
      }
    }
    // The verdict was on the normalised line; a line replaced since is filtered again.
    if (text !== normalised) hit = wanted(text);
    if (hit && keyLines === 0 && KEY_START.test(text)) {
      keyLines = text.includes("-----END") ? 0 : 1;
      text = REDACTED;
    }
    ring[(lineNo - 1) % RING] = text;
    dispatch(text, hit);
    if (hit) {
      const exit = EXIT.exec(text);
      if (exit) {
        failedExit(exitCode(exit), false);
        exited = true;
        lastExit = lineNo;
      }
    }
  }

  return {
    push(batch: readonly string[]): void {
      if (batch.length === 0) return;
      size.bytes += batch.length;
      const first = lineNo + 1;
      const texts = batch.map((line, i) => normaliseCounting(capped(line, first + i), size));
      if (marked.length < texts.length) marked = new Uint8Array(texts.length);
      else marked.fill(0, 0, texts.length);
      mark(texts);
      for (let i = 0; i < texts.length; i += 1) {
        const text = texts[i] as string;
        read(text, marked[i] === 1 || wantedStart(text));
      }
    },
    finish(): LogAnalysis {
      // A log without a provider's exit line (a raw tool log, a job cut short): its end is the failing exit.
      if (!exited) failedExit(undefined, true);
      else flushAll();
      const redact = createRedactor(options.secrets);
      const result: LogAnalysis = {
        failures: failures.list().map((f) => redactFailure(f, redact)),
        tail: redactLines(lastLines(ring, lineNo), redact),
        lines: lineNo,
        bytes: size.bytes,
      };
      if (counts.seen) {
        result.tests = { failed: counts.failed };
        if (counts.passedSeen) result.tests.passed = counts.passed;
        if (counts.skippedSeen) result.tests.skipped = counts.skipped;
      }
      if (failures.omitted > 0) result.omittedFailures = failures.omitted;
      return result;
    },
  };
}

function lastLines(ring: readonly string[], lineNo: number): string[] {
  const out: string[] = [];
  for (let i = lineNo - 1; i >= Math.max(0, lineNo - RING) && out.length < TAIL; i -= 1) {
    const line = ring[i % RING] as string;
    if (line.trim() !== "") out.push(line);
  }
  return out.reverse();
}

function redactLines(lines: readonly string[], redact: (text: string) => string): string[] {
  if (lines.length === 0) return [];
  return redact(lines.join("\n")).split("\n");
}

function redactFailure(f: Failure, redact: (text: string) => string): Failure {
  const out: Failure = {
    ...f,
    title: redact(f.title),
    message: redact(f.message),
    excerpt: redactLines(f.excerpt, redact),
  };
  if (f.file !== undefined) out.file = redact(f.file);
  if (f.patch !== undefined) out.patch = redact(f.patch);
  return out;
}
