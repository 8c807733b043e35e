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
  let block: { title: string; testClass?: string; tool: string; lines: string[] } | undefined;

  const ex: Extractor = {
    trigger: /<<< (?:FAILURE|ERROR)!$|^\[(?:ERROR|WARNING|INFO)\] Tests run: | FAILED$|^\d+ tests? completed, /,
    active: false,
    feed(line, ctx) {
      if (block) {
        // Surefire ends a block with a blank line; Gradle indents its block.
        const inBlock = block.tool === "gradle" ? /^\s/.test(line) : line.trim() !== "" && !line.startsWith("[");
        if (inBlock) {
          if (block.lines.length < 60) block.lines.push(line);
          return true;
        }
        close(ctx);
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
        block = { title, testClass: title.slice(0, title.lastIndexOf(".")), tool: "maven", lines: [] };
        ex.active = true;
        return true;
      }
      const gradle = GRADLE.exec(line);
      if (gradle && !line.startsWith("> Task")) {
        block = { title: `${gradle[1]} > ${gradle[2]}`, testClass: gradle[1], tool: "gradle", lines: [] };
        ex.active = true;
        return true;
      }
      return false;
    },
    flush(ctx) {
      close(ctx);
    },
  };

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const { title, testClass, tool, lines } = block;
    block = undefined;
    ex.active = false;
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
