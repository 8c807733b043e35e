import { createExtractors, lineFilter } from "./extractors/index.ts";
import type { Draft, ExtractContext, TestCounts } from "./extractors/types.ts";
import { causeDraft, classify, findCause, SUCCEEDED_MARK } from "./cause.ts";
import { createFailureSet, Rank } from "./failure-set.ts";
import { EXIT, exitCode, genericFailure } from "./generic.ts";
import { infrastructureFailures } from "./extractors/infrastructure.ts";
import { cutLine, lineAt, MAX_LINE_BYTES } from "./line-cut.ts";
import { LookBack } from "./look-back.ts";
import { FRAME_PATTERNS, normaliseLine, readFrame } from "./normalise.ts";
import { requiredLiterals } from "./prefilter/required-literals.ts";
import { LineScanner, WINDOW_BYTES } from "./prefilter/scanner.ts";
import { createRedactor, REDACTED } from "./redact.ts";
import type { AnalyzeOptions, Failure, LogAnalysis, LogChunk } from "./types.ts";

/** Lines kept for look-back (eslint's file header, go -v output, the generic fallback's step). */
const RING = 400;
const TAIL = 30;
/** Group headers that follow a failed command without starting a new step (GitLab's cleanup sections). */
const POST_GROUP = /^(?:Cleaning up|Uploading artifacts|Saving cache|Running after_script|Post )/;
/** Lines the analyser itself looks at: failing exits and the first line of a private key. */
const OWN_LINES = /exit code|xited with|Job failed|\*\*\* \[|^exit status|-----BEGIN|BUILD SUCCESS/;
/** Failures remembered per step with the line they were reported at (to tell whether they explain its exit). */
const MAX_STEP_EMITS = 1000;
const KEY_START = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY/;
/** From the first line starting with a Buildkite timestamp on, `--- ` lines are group headers. */
const BUILDKITE_STAMP = Buffer.from("\u001b_bk;t=");
const NEWLINE = Buffer.from("\n");

/**
 * One scanner for the process, built on first use: its literals are those every line the analyser must read
 * contains (the extractors' triggers, the analyser's own lines, provider framing). Analyses share it safely: a
 * window is loaded and scanned within one synchronous call.
 */
let sharedScanner: LineScanner | undefined;
function scanner(): LineScanner {
  sharedScanner ??= new LineScanner(
    requiredLiterals([...createExtractors().map((ex) => ex.trigger), OWN_LINES, ...FRAME_PATTERNS]),
  );
  return sharedScanner;
}

/**
 * Reads a raw CI log and returns the failures a maintainer needs: per-tool extraction, a generic fallback per
 * failed step, duplicates merged, everything normalised and redacted. The source is the log's raw chunks as they
 * arrive (bytes or text), or its lines. Memory stays bounded by the look-back ring, one partial line and the
 * capped failure set, whatever the log size.
 *
 * Most of a CI log is noise no extractor wants. A byte scanner finds the lines that could matter (those holding a
 * literal some trigger needs); only those, and every line while an extractor is reading a block, are decoded and
 * normalised. The lines in between are counted and kept as bytes for look-back.
 */
export async function analyzeLog(source: AsyncIterable<LogChunk> | Iterable<string>, options: AnalyzeOptions): Promise<LogAnalysis> {
  const analyzer = createLogAnalyzer(options);
  if (Symbol.iterator in source) {
    for (const line of source) analyzer.line(line);
  } else {
    for await (const chunk of source) analyzer.chunk(chunk);
  }
  return analyzer.finish();
}

/** The synchronous core of `analyzeLog`: feed it `line`s or raw `chunk`s, then `finish`. */
function createLogAnalyzer(options: AnalyzeOptions) {
  const extractors = createExtractors();
  const wanted = lineFilter(extractors, OWN_LINES);
  const failures = createFailureSet();
  const ring = new LookBack(RING);
  const counts = { failed: 0, passed: 0, skipped: 0, seen: false, passedSeen: false, skippedSeen: false };
  let lineNo = 0;
  let bytes = 0;
  /** The number of the first line with a Buildkite timestamp: from there on, `--- ` lines are group headers. */
  let buildkiteAt = Infinity;
  let stepStart = 0;
  let stepTitle = "";
  let emittedInStep = 0;
  /** What the current step reported, and where: a failing exit promotes those near it, a success demotes them. */
  let stepEmits: { key: string; line: number }[] = [];
  /** Inside GitHub Actions' `##[group]Run …` block: the step's script and env echoed, not its output. */
  let inScript = false;
  let sawRunGroups = false;
  let emittedInLog = 0;
  let keyLines = 0;
  /** Whether an extractor is inside a block: extractors change `active` only in `feed` and `flush`. */
  let reading = false;
  let exited = false;
  let lastExit = 0;
  /** The start of a line still arriving (at most MAX_LINE_BYTES of it), and whether more of it was dropped. */
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let partialCut = false;

  const baseline = options.baseline;
  /** A draft whose every line the passing run printed too is what that job always prints, not this failure's cause. */
  const seenWhenGreen = (draft: Draft): boolean =>
    baseline !== undefined &&
    [draft.title, ...draft.message.split("\n")].every((l) => l.trim() === "" || baseline.has(l.trim()));

  const ctx: ExtractContext = {
    emit(draft) {
      if (seenWhenGreen(draft) || classify(draft.message.split("\n", 1)[0] ?? "", {}) === "noise") return;
      const key = failures.add(draft);
      if (stepEmits.length >= MAX_STEP_EMITS) stepEmits.shift();
      stepEmits.push({ key, line: lineNo });
      emittedInStep += 1;
      emittedInLog += 1;
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
      const from = Math.max(1, lineNo - n, lineNo - RING + 1);
      const out: string[] = [];
      for (let i = from; i < lineNo; i += 1) out.push(ring.at(i));
      return out;
    },
    step: () => stepTitle,
    emitted: () => emittedInLog,
  };

  function flushAll(): void {
    for (const ex of extractors) ex.flush(ctx);
    reading = extractors.some((ex) => ex.active);
  }

  /** The line number `stepLines` starts at. */
  const stepFrom = () => Math.max(stepStart, lastExit, lineNo - RING) + 1;

  /** The lines of the current step since its last failing exit (each exit reads its own lines). */
  function stepLines(): string[] {
    const from = stepFrom();
    const out: string[] = [];
    for (let i = from; i <= lineNo; i += 1) out.push(ring.at(i));
    return out;
  }

  /**
   * A command failed: infrastructure trouble in the step's last lines is reported as such; if nothing explained the
   * failure, a network error seen while installing does, else the generic fallback says what the output says.
   */
  function failedExit(code: number | undefined, atEnd: boolean): void {
    flushAll();
    const from = stepFrom();
    const all = stepLines();
    const lines = baseline ? all.filter((l) => !baseline.has(l)) : all;
    // What an extractor reported in the lines leading to the failing point is its cause, ahead of the rest.
    const near = stepEmits.filter((e) => e.line >= from);
    for (const e of near) failures.rank(e.key, Rank.cause);
    const infra = infrastructureFailures(lines);
    const before = emittedInLog;
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
    if (near.length > 0 || emittedInLog > before) return;
    if (weak && emittedInStep === 0) {
      delete weak.weak;
      ctx.emit(weak);
      return;
    }
    // Errors were reported long before the failing point (or in other steps) and nothing near it: the nearest
    // error block above the failing point is the cause, ahead of those earlier error-looking lines.
    if (atEnd ? failures.size > 0 : emittedInStep > 0) {
      const block = findCause(all, baseline ? { baseline } : {});
      if (block) {
        failures.add(causeDraft(all, block, baseline ? { baseline } : {}), Rank.cause);
        emittedInStep += 1;
        emittedInLog += 1;
      }
      return;
    }
    const generic = genericFailure(lines, code, atEnd);
    if (generic) ctx.emit(generic);
  }

  /** What the step reported so far was not fatal (it or its sub-build went on to succeed): context only. */
  function stepSucceeded(): void {
    for (const e of stepEmits) failures.rank(e.key, Rank.context);
    stepEmits = [];
  }

  function newStep(title: string): void {
    flushAll();
    // A GitHub Actions step that ended without a failing exit succeeded (`continue-on-error`, `--fail-never`).
    if (sawRunGroups && !exited) stepSucceeded();
    stepEmits = [];
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

  /** Reads one raw line (cut to MAX_LINE_CHARS already). */
  function read(raw: string): void {
    lineNo += 1;
    if (buildkiteAt === Infinity && raw.charCodeAt(0) === 27 && raw.startsWith("\u001b_bk;t=")) buildkiteAt = lineNo;
    const normalised = normaliseLine(raw);
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
          ring.put(lineNo, "");
          if (inScript) {
            inScript = false;
            stepStart = lineNo;
          }
          return;
        }
        if (frame.type === "group") {
          if (!POST_GROUP.test(frame.title)) newStep(frame.title);
          text = frame.title;
          if (frame.title.startsWith("Run ")) {
            inScript = true;
            sawRunGroups = true;
            ring.put(lineNo, text);
            return;
          }
        } else if (frame.type === "command") {
          stepTitle = frame.command;
        } else {
          text = frame.message;
        }
      }
    }
    const hit = wanted(text);
    if (hit && keyLines === 0 && KEY_START.test(text)) {
      keyLines = text.includes("-----END") ? 0 : 1;
      text = REDACTED;
    }
    ring.put(lineNo, text);
    if (inScript) return;
    dispatch(text, hit);
    if (hit && SUCCEEDED_MARK.test(text)) stepSucceeded();
    if (hit) {
      const exit = EXIT.exec(text);
      if (exit) {
        failedExit(exitCode(exit), false);
        exited = true;
        lastExit = lineNo;
      }
    }
  }

  /** Lines the scanner passed over: counted, kept as bytes for look-back, checked for Buildkite's first stamp. */
  function skip(buf: Buffer, from: number, to: number, lines: number): void {
    if (lines === 0) return;
    if (buildkiteAt === Infinity) {
      const span = buf.subarray(from, to);
      for (let at = span.indexOf(BUILDKITE_STAMP); at !== -1; at = span.indexOf(BUILDKITE_STAMP, at + 1)) {
        if (at !== 0 && span[at - 1] !== 10) continue;
        let n = lineNo + 1;
        for (let i = span.indexOf(10); i !== -1 && i < at; i = span.indexOf(10, i + 1)) n += 1;
        buildkiteAt = n;
        break;
      }
    }
    ring.skip(buf, from, to, lineNo + 1, lines);
    lineNo += lines;
  }

  /** Reads the whole lines `buf[from, to)`: the scanner skips ahead while no extractor is inside a block. */
  function readLines(buf: Buffer, from: number, to: number): void {
    const scan = scanner();
    let pos = from;
    while (pos < to) {
      let end = Math.min(to, pos + WINDOW_BYTES);
      if (end < to) end = buf.lastIndexOf(10, end - 1) + 1;
      if (reading || keyLines > 0 || end <= pos) {
        // Line by line: an extractor is reading a block, a private key is being dropped, or a line is longer
        // than a scan window.
        const nl = buf.indexOf(10, pos);
        read(lineAt(buf, pos, nl));
        pos = nl + 1;
        continue;
      }
      scan.load(buf, pos, end);
      for (;;) {
        const { lines, hit } = scan.next();
        if (hit < 0) {
          skip(buf, pos, end, lines);
          pos = end;
          break;
        }
        skip(buf, pos, hit, lines);
        const nl = buf.indexOf(10, hit);
        read(lineAt(buf, hit, nl));
        pos = nl + 1;
        if (pos >= end || reading || keyLines > 0) break;
        scan.resume(pos);
      }
    }
  }

  /** The line that was still arriving is complete: read it like any other (the scanner decides whether to). */
  function endPartial(): void {
    const parts = partial;
    const cut = partialCut;
    const length = partialBytes;
    partial = [];
    partialBytes = 0;
    partialCut = false;
    if (cut) {
      read(cutLine(Buffer.concat(parts, length).toString("utf8"), true));
      return;
    }
    const line = Buffer.concat([...parts, NEWLINE], length + 1);
    readLines(line, 0, line.length);
  }

  function keepPartial(buf: Buffer, from: number, to: number): void {
    const room = MAX_LINE_BYTES - partialBytes;
    if (to - from > room) partialCut = true;
    const end = Math.min(to, from + Math.max(0, room));
    if (end > from) {
      // Copied: the caller may reuse its buffer, and a kept slice would pin the whole chunk.
      partial.push(Buffer.from(buf.subarray(from, end)));
      partialBytes += end - from;
    }
  }

  return {
    /** One line of a log given as lines. */
    line(line: string): void {
      bytes += Buffer.byteLength(line) + 1;
      read(cutLine(line));
    },
    /** The next raw chunk of a streamed log. */
    chunk(chunk: LogChunk): void {
      const buf =
        typeof chunk === "string"
          ? Buffer.from(chunk, "utf8")
          : Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      bytes += buf.length;
      let pos = 0;
      if (partialBytes > 0 || partialCut) {
        const nl = buf.indexOf(10);
        if (nl === -1) {
          keepPartial(buf, 0, buf.length);
          return;
        }
        keepPartial(buf, 0, nl);
        endPartial();
        pos = nl + 1;
      }
      const last = buf.lastIndexOf(10);
      if (last >= pos) {
        readLines(buf, pos, last + 1);
        pos = last + 1;
      }
      if (pos < buf.length) keepPartial(buf, pos, buf.length);
      ring.release(buf);
    },
    finish(): LogAnalysis {
      if (partialBytes > 0 || partialCut) endPartial();
      // A log without a provider's exit line (a raw tool log, a job cut short): its end is the failing exit.
      if (!exited) failedExit(undefined, true);
      else flushAll();
      const redact = createRedactor(options.secrets);
      const result: LogAnalysis = {
        failures: failures.list().map((f) => redactFailure(f, redact)),
        tail: redactLines(lastLines(ring, lineNo), redact),
        lines: lineNo,
        bytes,
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

function lastLines(ring: LookBack, lineNo: number): string[] {
  const out: string[] = [];
  for (let i = lineNo; i >= Math.max(1, lineNo - RING + 1) && out.length < TAIL; i -= 1) {
    const line = ring.at(i);
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
