import { describe, expect, it } from "vitest";
import { normaliseLine, readFrame } from "../../src/logs/normalise.ts";

const ESC = "\u001b";
const BEL = "\u0007";

describe("normaliseLine", () => {
  it("leaves a plain line untouched", () => {
    expect(normaliseLine("  src/a.ts(3,7): error TS2322: x")).toBe("  src/a.ts(3,7): error TS2322: x");
  });

  it("removes CSI colours, styles and cursor moves", () => {
    expect(normaliseLine(`${ESC}[1m${ESC}[31mFAIL${ESC}[39m${ESC}[22m src/a.test.ts`)).toBe("FAIL src/a.test.ts");
    expect(normaliseLine(`${ESC}[38;5;196mred${ESC}[0m ${ESC}[38;2;1;2;3mrgb${ESC}[m`)).toBe("red rgb");
    expect(normaliseLine(`${ESC}[1A${ESC}[2K${ESC}[Gnpm install`)).toBe("npm install");
    expect(normaliseLine(`a${ESC}[?25lb${ESC}[?25hc${ESC}[K`)).toBe("abc");
  });

  it("keeps the text of OSC 8 hyperlinks and drops titles", () => {
    const link = `${ESC}]8;;https://example.com/x${ESC}\\src/a.ts:3${ESC}]8;;${ESC}\\`;
    expect(normaliseLine(`see ${link} now`)).toBe("see src/a.ts:3 now");
    expect(normaliseLine(`${ESC}]0;window title${BEL}done`)).toBe("done");
  });

  it("removes charset selects and other two-byte escapes", () => {
    // rustfmt --check prints ESC ( B after each coloured line.
    expect(normaliseLine(`${ESC}[31m-fn main(){\n${ESC}(B${ESC}[m`.replace("\n", ""))).toBe("-fn main(){");
    expect(normaliseLine(`${ESC}7saved${ESC}8 ${ESC}=keypad${ESC}>`)).toBe("saved keypad");
  });

  it("strips Buildkite APC timestamps at the start, mid-line and repeated", () => {
    expect(normaliseLine(`${ESC}_bk;t=1715678488065${BEL}--- :npm: Install`)).toBe("--- :npm: Install");
    expect(normaliseLine(`${ESC}_bk;t=1${BEL}one ${ESC}_bk;t=2${BEL}two${ESC}_bk;t=3${BEL}`)).toBe("one two");
    // `bk job log --no-timestamps` leaves a stray ESC _ behind.
    expect(normaliseLine(`${ESC}_bk;t=1715678488065Error: boom`)).toBe("Error: boom");
  });

  it("strips GitHub Actions timestamps and the byte-order mark", () => {
    expect(normaliseLine("\uFEFF2024-05-14T09:21:07.1600000Z ##[group]Run npm test")).toBe("##[group]Run npm test");
    expect(normaliseLine("2024-05-14T09:21:07.1234567Z   1:7  error  x")).toBe("  1:7  error  x");
    expect(normaliseLine("2024-05-14 is not a timestamp prefix")).toBe("2024-05-14 is not a timestamp prefix");
  });

  it("strips the job and step names `gh run view --log` puts before each timestamp", () => {
    expect(normaliseLine("build (ubuntu)\tRun tests\t2024-05-14T09:21:07.1234567Z FAIL src/a.test.ts")).toBe("FAIL src/a.test.ts");
    expect(normaliseLine("a\tb\tnot a timestamp")).toBe("a\tb\tnot a timestamp");
  });

  it("turns GitLab sections into group markers", () => {
    const start = `section_start:1715678468:step_script\r${ESC}[0K${ESC}[0K${ESC}[36;1mExecuting "step_script" stage of the job script${ESC}[0;m${ESC}[0;m`;
    expect(normaliseLine(start)).toBe('##[group]Executing "step_script" stage of the job script');
    expect(normaliseLine(`section_start:1:prepare[collapsed=true]\r${ESC}[0KPreparing`)).toBe("##[group]Preparing");
    expect(normaliseLine(`section_end:1715678469:step_script\r${ESC}[0K`)).toBe("##[endgroup]");
  });

  it("keeps what a terminal shows after carriage-return redraws", () => {
    expect(normaliseLine("  0%  [    ]\r 50%  [==  ]\r100%  [====]")).toBe("100%  [====]");
    expect(normaliseLine("npm test\r")).toBe("npm test");
    expect(normaliseLine(`progress 10%\r${ESC}[K\r`)).toBe("progress 10%");
  });

  it("drops stray control characters", () => {
    expect(normaliseLine("a\u0000b\u0007c\u007fd\te")).toBe("abcd\te");
  });
});

describe("readFrame", () => {
  it("reads GitHub Actions markers", () => {
    expect(readFrame("##[group]Run npm test", false)).toEqual({ type: "group", title: "Run npm test" });
    expect(readFrame("##[endgroup]", false)).toEqual({ type: "endgroup" });
    expect(readFrame("##[error]Process completed with exit code 1.", false)).toEqual({
      type: "error",
      message: "Process completed with exit code 1.",
    });
    expect(readFrame("##[command]/usr/bin/git version", false)).toEqual({ type: "command", command: "/usr/bin/git version" });
  });

  it("reads Buildkite group headers only in Buildkite logs, and never a diff header", () => {
    expect(readFrame("--- :jest: Test", true)).toEqual({ type: "group", title: ":jest: Test" });
    expect(readFrame("~~~ Preparing working directory", true)).toEqual({ type: "group", title: "Preparing working directory" });
    expect(readFrame("+++ Running tests", true)).toEqual({ type: "group", title: "Running tests" });
    expect(readFrame("--- :jest: Test", false)).toBeUndefined();
    for (const line of ["--- a/src/a.ts", "+++ b/src/a.ts", "--- Expected", "+++ Actual", "--- FAIL: TestSub (0.00s)", "--- src/a.py\t2024-01-01", "--- /tmp/x.py"]) {
      expect(readFrame(line, true)).toBeUndefined();
    }
  });

  it("reads echoed commands", () => {
    expect(readFrame("$ npm test", false)).toEqual({ type: "command", command: "npm test" });
  });
});
