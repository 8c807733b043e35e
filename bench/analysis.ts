import { spawn, spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { analyzeLog } from "../src/logs/analyze.ts";
import { splitLines } from "../src/logs/split-lines.ts";

const TMP = fileURLToPath(new URL("./.tmp/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/logs/", import.meta.url));
const MB = 1024 * 1024;

/** What the pre-filter looks for, as one `grep -E` pattern: the comparison the throughput ratio is made against. */
const GREP_PATTERN =
  "FAIL|Error|error:|✗|×|●|panicked|not ok|Traceback|<<< FAILURE|exit code|Exited with|Killed|out of memory|timed out|ECONNRESET";

/**
 * A GitHub Actions log of the given size: timestamps, colours, carriage-return progress, passing tests, dependency
 * downloads, stack frames of caught errors; and near the end a failing vitest run and a failing pytest run.
 */
async function generateLog(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const stamp = (i: number) => `2024-05-14T09:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.1234567Z `;
  const noise = [
    (i: number) => ` \u001b[32m✓\u001b[39m src/components/button-${i % 997}.test.tsx > renders the label ${i} \u001b[2m${i % 17}ms\u001b[22m`,
    (i: number) => `npm warn deprecated glob@7.2.${i % 9}: Glob versions prior to v9 are no longer supported`,
    (i: number) => `[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/example/lib-${i % 313}/1.${i % 7}/lib.pom (${i % 90} kB at ${i % 400} kB/s)`,
    (i: number) => `test tests::module_${i % 31}::case_${i} ... ok`,
    (i: number) => `\u001b[0m\u001b[7m\u001b[1m\u001b[32m PASS \u001b[39m\u001b[22m\u001b[27m\u001b[0m src/utils/format-${i % 211}.test.ts (${(i % 50) / 10} s)`,
    (i: number) => `   Compiling serde v1.0.${i % 200}`,
    (i: number) => `    at Object.<anonymous> (/home/runner/work/demo/demo/node_modules/lib-${i % 51}/index.js:${i % 300}:5)`,
    (i: number) => `Downloading ${i % 100}%\r Downloading ${(i + 50) % 100}%\r Downloaded package-${i % 77}.tgz`,
    () => "",
  ];
  const tailFailures = [
    "##[group]Run npx vitest run",
    "##[endgroup]",
    ...readFileSync(FIXTURES + "raw/vitest.log", "utf8").split("\n"),
    "##[error]Process completed with exit code 1.",
    "##[group]Run python -m pytest",
    "##[endgroup]",
    ...readFileSync(FIXTURES + "raw/pytest.log", "utf8").split("\n"),
    "##[error]Process completed with exit code 1.",
  ];
  const tail = tailFailures.map((l, i) => stamp(i) + l + "\n").join("");
  let written = 0;
  let i = 0;
  while (written < bytes - tail.length) {
    let chunk = "";
    while (chunk.length < MB) {
      const line = stamp(i) + (noise[i % noise.length] as (i: number) => string)(i) + "\n";
      chunk += line;
      i += 1;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end(tail);
  await once(out, "finish");
}

// Streams read in createReadStream's default 64 KiB chunks, about what an HTTP response delivers.
async function timeAnalysis(path: string): Promise<{ seconds: number; failures: number }> {
  const started = process.hrtime.bigint();
  const result = await analyzeLog(splitLines(createReadStream(path)), { secrets: ["bench-secret-value"] });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failures: result.failures.length };
}

/** The same stream through the line splitter alone: the floor under any line-at-a-time analysis. */
async function timeSplitting(path: string): Promise<number> {
  const started = process.hrtime.bigint();
  let lines = 0;
  for await (const batch of splitLines(createReadStream(path))) for (const line of batch) lines += line.length > 0 ? 1 : 0;
  if (lines === 0) throw new Error("no lines read");
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function timeGrep(path: string): number {
  const started = process.hrtime.bigint();
  const run = spawnSync("grep", ["-c", "-E", GREP_PATTERN, path], { encoding: "utf8" });
  if (run.error) throw run.error;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Peak RSS of a fresh `node` that streams the file through the analysis, so the figure is the analysis's own. */
async function childPeakRss(path: string, nodeFlags: readonly string[]): Promise<number> {
  const script = TMP + "rss-child.ts";
  const analyze = fileURLToPath(new URL("../src/logs/analyze.ts", import.meta.url));
  const split = fileURLToPath(new URL("../src/logs/split-lines.ts", import.meta.url));
  writeFileSync(
    script,
    [
      `import { createReadStream } from "node:fs";`,
      `import { analyzeLog } from ${JSON.stringify(analyze)};`,
      `import { splitLines } from ${JSON.stringify(split)};`,
      `await analyzeLog(splitLines(createReadStream(${JSON.stringify(path)})), { secrets: [] });`,
      `process.stdout.write(String(process.resourceUsage().maxRSS));`,
    ].join("\n"),
  );
  const child = spawn(process.execPath, [...nodeFlags, script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`the RSS child exited with ${code}`);
  return Number(out) / 1024; // maxRSS is in KiB
}

export async function analysisBench(): Promise<Array<{ name: string; value: string; note?: string }>> {
  mkdirSync(TMP, { recursive: true });
  const small = TMP + "log-200mb.txt";
  const large = TMP + "log-1gb.txt";
  await generateLog(small, 200 * MB);
  const size = statSync(small).size / MB;

  await timeAnalysis(small); // warm-up: JIT and page cache are not what this measures
  const ours = await timeAnalysis(small);
  const splitting = await timeSplitting(small);
  const grep = timeGrep(small);
  const oursRate = size / ours.seconds;
  const grepRate = size / grep;

  await generateLog(large, 1024 * MB);
  const rss = await childPeakRss(large, []);
  // V8 grows the young generation up to ~200 MB under a steady allocation rate; capping it is both leaner and
  // (measured here) a little faster for this workload.
  const rssCapped = await childPeakRss(large, ["--max-semi-space-size=16"]);

  const note = `${size.toFixed(0)} MB generated GitHub Actions log, ${ours.failures} failures found`;
  return [
    { name: "analyzeLog throughput (splitLines from disk)", value: `${oursRate.toFixed(0)} MB/s`, note },
    { name: "splitLines alone, same file", value: `${(size / splitting).toFixed(0)} MB/s`, note: "UTF-8 decoding and splitting into line batches, no analysis" },
    { name: "grep -E throughput, same file", value: `${grepRate.toFixed(0)} MB/s`, note: `grep -c -E '${GREP_PATTERN}'` },
    { name: "analyzeLog / grep -E", value: `${(oursRate / grepRate).toFixed(2)}×`, note: "target ≥ 0.5×" },
    { name: "peak RSS, 1 GB log streamed from disk", value: `${rss.toFixed(0)} MB`, note: "fresh node, default V8 flags; target ≤ 150 MB" },
    {
      name: "peak RSS, same, --max-semi-space-size=16",
      value: `${rssCapped.toFixed(0)} MB`,
      note: "the flag `npm start` runs the app with",
    },
  ];
}
