import { analysisBench } from "./analysis.ts";
import { latencyBench, type BenchRow } from "./latency.ts";

// `npm run bench`: figures, printed as a table. Targets are stated in the notes; nothing here fails a build.
function table(rows: readonly BenchRow[]): string {
  const widths = [
    Math.max(6, ...rows.map((r) => r.name.length)),
    Math.max(5, ...rows.map((r) => r.value.length)),
  ];
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(widths[0]!)} | ${b.padStart(widths[1]!)} | ${c}`;
  return [line("figure", "value", "note"), line("-".repeat(widths[0]!), "-".repeat(widths[1]!), "----"), ...rows.map((r) => line(r.name, r.value, r.note ?? ""))].join("\n");
}

const rows: BenchRow[] = [];
rows.push(...(await analysisBench()));
rows.push(...(await latencyBench()));
console.log(table(rows));
