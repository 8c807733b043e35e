import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

// Both captured from CMake 3.25.1 on this machine (`cmake -S . -B build` with an unclosed `add_executable(`, and
// `cmake -S /nonexistent -B build`).
const parseError = [
  "-- The C compiler identification is GNU 12.2.0",
  "CMake Error at CMakeLists.txt:3:",
  '  Parse error.  Function missing ending ")".  End of file reached.',
  "",
  "",
  "-- Configuring incomplete, errors occurred!",
];
const noSource = ['CMake Error: The source directory "/nonexistent" does not exist.', "Specify --help for usage, or press the help button on the CMake GUI."];

describe("cmake extractor", () => {
  it("titles a parse error with more than its first two words", async () => {
    const result = await analyzeLog(parseError, { secrets: [] });
    expect(result.failures.map((f) => [f.tool, f.kind, f.title, f.file, f.line])).toEqual([
      ["cmake", "compile", 'Parse error. Function missing ending ")".', "CMakeLists.txt", 3],
    ]);
  });

  it("reads an error without a place from its headline", async () => {
    const result = await analyzeLog(noSource, { secrets: [] });
    expect(result.failures.map((f) => [f.tool, f.title, f.file])).toEqual([["cmake", 'The source directory "/nonexistent" does not exist.', undefined]]);
  });
});
