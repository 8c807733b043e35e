import type { AnalyzeOptions, LogAnalysis } from "./types.ts";

// Placeholder replaced by the extraction work (issue 3); keeps the pipeline compiling meanwhile.
export async function analyzeLog(
  lines: AsyncIterable<string> | Iterable<string>,
  options: AnalyzeOptions,
): Promise<LogAnalysis> {
  const tail: string[] = [];
  let count = 0;
  let bytes = 0;
  for await (const raw of lines) {
    count += 1;
    bytes += Buffer.byteLength(raw) + 1;
    // eslint-disable-next-line no-control-regex
    let line = raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
    for (const secret of options.secrets) if (secret) line = line.split(secret).join("[REDACTED]");
    if (line.trim()) tail.push(line);
    if (tail.length > 30) tail.shift();
  }
  return { failures: [], tail, lines: count, bytes };
}
