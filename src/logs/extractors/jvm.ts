import { blockReader } from "./block.ts";
import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

// Surefire 3: "[ERROR] com.example.CalcTest.subtracts -- Time elapsed: 0.010 s <<< FAILURE!"
// Surefire 2: "[ERROR] subtracts(com.example.CalcTest)  Time elapsed: 0.01 s  <<< ERROR!"
const SUREFIRE = /^\[ERROR\] (?!Tests run:)(\S+?)(?:\(([\w.$]+)\))?\s+(?:-- )?Time elapsed: .*<<< (FAILURE|ERROR)!$/;
const SUREFIRE_TOTAL = /^\[(?:ERROR|WARNING|INFO)\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$/;
const GRADLE = /^(\S.*?) > (.+) FAILED$/;
const GRADLE_TOTAL = /^(\d+) tests? completed, (\d+) failed(?:, (\d+) skipped)?$/;
const FRAME = /^\s*at ([\w.$<>]+)\.[\w$<>]+\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)$/;

/** Maven Surefire and Gradle test failures: the test id, the exception line, the frame in the test class. */
export function jvmExtractor(): Extractor {
  const block = blockReader<{ title: string; testClass: string; tool: string }>(report, 60);

  const ex: Extractor = {
    trigger: /<<< (?:FAILURE|ERROR)!$|^\[(?:ERROR|WARNING|INFO)\] Tests run: | FAILED$|^\d+ tests? completed, /,
    get active() {
      return block.meta !== undefined;
    },
    feed(line, ctx) {
      const open = block.meta;
      if (open) {
        // Surefire ends a block with a blank line; Gradle indents its block.
        const inBlock = open.tool === "gradle" ? /^\s/.test(line) : line.trim() !== "" && !line.startsWith("[");
        if (inBlock) {
          block.take(line);
          return true;
        }
        block.close(ctx);
      }
      const total = SUREFIRE_TOTAL.exec(line);
      if (total) {
        const [run, failures, errors, skipped] = total.slice(1).map(Number) as [number, number, number, number];
        ctx.count({ failed: failures + errors, passed: run - failures - errors - skipped, skipped });
        return true;
      }
      const gradleTotal = GRADLE_TOTAL.exec(line);
      if (gradleTotal) {
        const [run, failed, skipped] = gradleTotal.slice(1).map((n) => Number(n ?? 0)) as [number, number, number];
        ctx.count({ failed, passed: run - failed - skipped, skipped });
        return true;
      }
      const surefire = SUREFIRE.exec(line);
      if (surefire) {
        const [, id, owner] = surefire;
        const title = owner ? `${owner}.${id}` : (id as string);
        block.start({ title, testClass: title.slice(0, title.lastIndexOf(".")), tool: "maven" }, ctx);
        return true;
      }
      const gradle = GRADLE.exec(line);
      if (gradle && !line.startsWith("> Task")) {
        block.start({ title: `${gradle[1]} > ${gradle[2]}`, testClass: gradle[1] as string, tool: "gradle" }, ctx);
        return true;
      }
      return false;
    },
    flush(ctx) {
      block.close(ctx);
    },
  };

  function report({ title, testClass, tool }: { title: string; testClass: string; tool: string }, lines: string[], ctx: ExtractContext): void {
    const frames = lines.map((l) => FRAME.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    const own =
      frames.find((m) => testClass && (m[1] === testClass || testClass.endsWith(`.${m[1]}`) || m[1]?.endsWith(`.${testClass}`))) ??
      frames.find((m) => !/^(?:java|javax|jdk|sun|org\.junit|junit|org\.opentest4j|org\.apache|org\.gradle)\./.test(m[1] as string));
    const head = lines.find((l) => !FRAME.test(l) && l.trim() !== "") ?? "";
    const where = own ? `${own[2]}:${own[3]}` : undefined;
    ctx.emit({
      kind: "test",
      tool,
      title,
      // Only the file name is printed (not its directory), so it stays in the message instead of `file`.
      message: [message([head], 1), where ? `at ${where}` : ""].filter(Boolean).join("\n"),
      excerpt: excerpt(lines),
    });
  }

  return ex;
}
