import { spawn, spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { analyzeLog } from "../src/logs/analyze.ts";
import { readFileChunks } from "../src/logs/read-file.ts";

const TMP = fileURLToPath(new URL("./.tmp/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/logs/", import.meta.url));
const MB = 1024 * 1024;
/** An HTTP response arrives in chunks of 16 to 64 KiB, each a fresh buffer. */
const HTTP_CHUNK = 64 * 1024;

/** What the pre-filter looks for, as one `grep -E` pattern: the comparison the throughput ratio is made against. */
const GREP_PATTERN =
  "FAIL|Error|error:|✗|×|●|panicked|not ok|Traceback|<<< FAILURE|exit code|Exited with|Killed|out of memory|timed out|ECONNRESET";

/**
 * A GitHub Actions log of the given size: timestamps, colours, carriage-return progress, passing tests, dependency
 * downloads, stack frames of caught errors; and near the end a failing vitest run and a failing pytest run. With
 * `busy`, one line in ten also holds a word some trigger looks for (`error`, `FAIL`, `warning`, `# `) without being
 * a failure, so the analyser has to read it: the worst case for the byte scanner short of every line.
 */
async function generateLog(path: string, bytes: number, busy = false): Promise<void> {
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
  // Lines that hold a trigger's word without being a failure: read in full, found to be nothing.
  const wordy = [
    (i: number) => `   Compiling error-chain v0.12.${i % 9}`,
    (i: number) => `npm warning config production Use \`--omit=dev\` instead (${i})`,
    (i: number) => `# retry ${i % 3} of the flaky suite`,
    (i: number) => ` \u001b[32m✓\u001b[39m src/FAIL-safe-${i % 13}.test.ts > recovers ${i}`,
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
      const make = busy && i % 10 === 0 ? wordy[(i / 10) % wordy.length] : noise[i % noise.length];
      const line = stamp(i) + (make as (i: number) => string)(i) + "\n";
      chunk += line;
      i += 1;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end(tail);
  await once(out, "finish");
}

/** The file as `ci-mender analyze <file>` reads it (1 MiB chunks, one reused buffer), or as an HTTP body arrives. */
const source = (path: string, how: "file" | "http"): AsyncIterable<Buffer> =>
  how === "file" ? readFileChunks(path) : createReadStream(path, { highWaterMark: HTTP_CHUNK });

async function timeAnalysis(path: string, how: "file" | "http"): Promise<{ seconds: number; failures: number }> {
  const started = process.hrtime.bigint();
  const result = await analyzeLog(source(path, how), { secrets: ["bench-secret-value"] });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failures: result.failures.length };
}

/** The same file only read, the same way: the floor under any analysis of the stream. */
async function timeReading(path: string, how: "file" | "http"): Promise<number> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  for await (const piece of source(path, how)) bytes += piece.length;
  if (bytes === 0) throw new Error("nothing read");
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
  const readFile = fileURLToPath(new URL("../src/logs/read-file.ts", import.meta.url));
  writeFileSync(
    script,
    [
      `import { analyzeLog } from ${JSON.stringify(analyze)};`,
      `import { readFileChunks } from ${JSON.stringify(readFile)};`,
      `await analyzeLog(readFileChunks(${JSON.stringify(path)}), { secrets: [] });`,
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
  const quiet = TMP + "log-200mb.txt";
  const busy = TMP + "log-200mb-busy.txt";
  const large = TMP + "log-1gb.txt";
  await generateLog(quiet, 200 * MB);
  await generateLog(busy, 200 * MB, true);
  const size = statSync(quiet).size / MB;
  const rate = (seconds: number) => `${(size / seconds).toFixed(0)} MB/s`;

  await timeAnalysis(quiet, "file"); // warm-up: JIT and page cache are not what this measures
  // Side by side, as close in time as the figures allow: the VM's speed drifts between runs.
  const ours = await timeAnalysis(quiet, "file");
  const grep = timeGrep(quiet);
  const reading = await timeReading(quiet, "file");
  const ours64 = await timeAnalysis(quiet, "http");
  const reading64 = await timeReading(quiet, "http");
  await timeAnalysis(busy, "file");
  const oursBusy = await timeAnalysis(busy, "file");
  const grepBusy = timeGrep(busy);

  await generateLog(large, 1024 * MB);
  const rss = await childPeakRss(large, []);
  // V8 grows the young generation up to ~200 MB under a steady allocation rate; capping it is both leaner and
  // (measured here) a little faster for this workload.
  const rssCapped = await childPeakRss(large, ["--max-semi-space-size=16"]);

  const note = `${size.toFixed(0)} MB generated GitHub Actions log, sparse failures (${ours.failures} found)`;
  return [
    { name: "analyzeLog throughput, file read in 1 MiB chunks", value: rate(ours.seconds), note: `${note}; read as \`ci-mender analyze\` reads a file` },
    { name: "grep -E throughput, same file", value: rate(grep), note: `grep -c -E '${GREP_PATTERN}'` },
    { name: "analyzeLog / grep -E", value: `${(grep / ours.seconds).toFixed(2)}×`, note: "target ≥ 0.5×" },
    { name: "reading the file alone, 1 MiB chunks", value: rate(reading), note: "the floor under any analysis of the stream" },
    { name: "analyzeLog, same file in 64 KiB chunks", value: rate(ours64.seconds), note: `a fresh buffer each, as an HTTP body arrives; reading alone: ${rate(reading64)}` },
    {
      name: "analyzeLog, busy log (1 line in 10 read in full)",
      value: rate(oursBusy.seconds),
      note: `${(grepBusy / oursBusy.seconds).toFixed(2)}× grep -E on it; every tenth line holds a trigger word but is no failure`,
    },
    { name: "peak RSS, 1 GB log streamed from disk", value: `${rss.toFixed(0)} MB`, note: "fresh node, default V8 flags; target ≤ 150 MB" },
    {
      name: "peak RSS, same, --max-semi-space-size=16",
      value: `${rssCapped.toFixed(0)} MB`,
      note: "the flag `npm start` runs the app with",
    },
  ];
}
