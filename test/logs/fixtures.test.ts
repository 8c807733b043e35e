import { describe, expect, it } from "vitest";
import type { Failure } from "../../src/logs/types.ts";
import { analyzeFixture, shown } from "./read-fixture.ts";

interface Expected {
  kind: Failure["kind"];
  tool: string;
  title: string;
  file?: string;
  line?: number;
  column?: number;
  /** Text the report must show for this failure (in its title, message, excerpt or patch). */
  shows: string[];
}

interface Case {
  fixture: string;
  failures: Expected[];
  tests?: { failed: number; passed?: number; skipped?: number };
  /** Output that must not reach the report: setup noise, passing tests, boilerplate. */
  noise: string[];
}

const npmSetup = ["added 409 packages", "npm warn install-scripts", "Cloning into"];

const cases: Case[] = [
  // GitHub Actions framing: BOM, ISO timestamps, ##[group]/##[endgroup], ##[error]Process completed with exit code N.
  {
    fixture: "github-actions/vitest.log",
    tests: { failed: 2, passed: 2 },
    failures: [
      { kind: "test", tool: "vitest", title: "sub > subtracts", file: "src/sum.test.js", line: 15, column: 23, shows: ["AssertionError: expected 4 to be 2", "expect(sub(3, 1)).toBe(2);"] },
      { kind: "test", tool: "vitest", title: "sub > returns an object", file: "src/sum.test.js", line: 18, column: 44, shows: ["to deeply equal { value: 2, ok: true }", '+   "value": 4,'] },
    ],
    noise: [...npmSetup, "adds positive numbers", "Test Files", "Duration", "Process completed with exit code"],
  },
  {
    fixture: "github-actions/tsc.log",
    failures: [
      { kind: "compile", tool: "tsc", title: "TS2554: Expected 1 arguments, but got 2.", file: "src/main.ts", line: 3, column: 22, shows: [] },
      { kind: "compile", tool: "tsc", title: "TS2322: Type 'string' is not assignable to type 'number'.", file: "src/main.ts", line: 4, column: 5, shows: [] },
      { kind: "compile", tool: "tsc", title: "TS2339: Property 'nmae' does not exist on type 'User'.", file: "src/user.ts", line: 8, column: 23, shows: [] },
    ],
    noise: [...npmSetup],
  },
  {
    fixture: "github-actions/eslint.log",
    failures: [
      { kind: "lint", tool: "eslint", title: "'readFileSync' is defined but never used (no-unused-vars)", file: "src/app.js", line: 1, column: 10, shows: [] },
      { kind: "lint", tool: "eslint", title: "'unused' is assigned a value but never used (no-unused-vars)", file: "src/app.js", line: 2, column: 7, shows: [] },
      { kind: "lint", tool: "eslint", title: "Expected '===' and instead saw '==' (eqeqeq)", file: "src/app.js", line: 4, column: 9, shows: [] },
      { kind: "lint", tool: "eslint", title: "'undefinedThing' is not defined (no-undef)", file: "src/app.js", line: 5, column: 15, shows: [] },
    ],
    // The warning does not fail the run, so it is not a failure.
    noise: [...npmSetup, "Unexpected console statement", "5 problems"],
  },
  {
    fixture: "github-actions/pytest.log",
    tests: { failed: 3, passed: 3 },
    failures: [
      { kind: "test", tool: "pytest", title: "tests/test_calc.py::test_sub", file: "tests/test_calc.py", line: 10, shows: ["assert 4 == 2", "where 4 = sub(3, 1)"] },
      { kind: "test", tool: "pytest", title: "tests/test_calc.py::TestRatio::test_ratio_zero", file: "calc/__init__.py", line: 10, shows: ["ZeroDivisionError: division by zero", "return a / b"] },
      { kind: "test", tool: "pytest", title: "tests/test_calc.py::test_add_many[2-2-5]", file: "tests/test_calc.py", line: 23, shows: ["assert 4 == 5"] },
    ],
    noise: ["Looking in indexes", "WARNING: Retrying", "Successfully installed", "platform linux", "test session starts", "self = <test_calc.TestRatio"],
  },
  {
    fixture: "github-actions/cargo-test.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "cargo test", title: "tests::parses", file: "src/lib.rs", line: 23, column: 35, shows: ["called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }"] },
      { kind: "test", tool: "cargo test", title: "tests::subtracts", file: "src/lib.rs", line: 18, column: 9, shows: ["assertion `left == right` failed", "left: 4", "right: 2"] },
    ],
    // RUST_BACKTRACE=1 was set: the backtrace is noise next to the panic message.
    noise: ["Compiling rs", "test tests::adds ... ok", "stack backtrace", "core::panicking", "rust_begin_unwind"],
  },
  {
    fixture: "github-actions/go-test.log",
    tests: { failed: 3 },
    failures: [
      { kind: "test", tool: "go", title: "TestSub", file: "calc_test.go", line: 13, shows: ["Sub(3, 1) = 4; want 2"] },
      { kind: "test", tool: "go", title: "TestTable/big", file: "calc_test.go", line: 22, shows: ["Sub(100, 1) = 101; want 99"] },
      { kind: "crash", tool: "go", title: "TestDiv", file: "calc/calc.go", line: 9, shows: ["panic: runtime error: integer divide by zero"] },
    ],
    noise: ["=== RUN", "--- PASS", "TestAdd", "testing.tRunner", "/usr/lib/go-1.19/src/"],
  },
  {
    fixture: "github-actions/gofmt.log",
    failures: [
      { kind: "format", tool: "gofmt", title: "calc/calc.go is not formatted", file: "calc/calc.go", line: 3, shows: ["--- a/calc/calc.go", "+++ b/calc/calc.go", "@@ -3,7 +3,7 @@", "-  return a + b", "+\treturn a + b"] },
      { kind: "format", tool: "gofmt", title: "calc/calc_test.go is not formatted", file: "calc/calc_test.go", line: 15, shows: ["+\tcases := []struct {"] },
    ],
    noise: [".orig"],
  },
  {
    fixture: "github-actions/git-diff.log",
    failures: [
      { kind: "format", tool: "git diff", title: "package.json differs from the committed version", file: "package.json", line: 1, shows: ['-  "version": "1.0.0"', '+  "version": "1.0.1"', "index dc58d08..371e55e 100644"] },
      { kind: "format", tool: "git diff", title: "src/version.ts differs from the committed version", file: "src/version.ts", line: 1, shows: ['+export const VERSION = "1.0.1";'] },
    ],
    // The `index` line stays with the patch: a fix checks it against the head's blob before it is offered.
    noise: [...npmSetup],
  },
  {
    fixture: "github-actions/maven-test.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "maven", title: "com.example.CalcTest.subtracts", shows: ["3 - 1 ==> expected: <2> but was: <4>", "CalcTest.java:11"] },
      { kind: "test", tool: "maven", title: "com.example.CalcTest.divides", shows: ["java.lang.ArithmeticException: / by zero", "CalcTest.java:14"] },
    ],
    noise: ["[INFO]", "org.junit.jupiter.api.AssertionFailureBuilder", "java.base/", "To see the full stack trace", "[Help 1]"],
  },
  {
    fixture: "github-actions/rspec.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "rspec", title: "Calc subtracts", file: "spec/calc_spec.rb", line: 9, shows: ["expected: 2", "got: 4"] },
      { kind: "test", tool: "rspec", title: "Calc.mul multiplies", file: "spec/calc_spec.rb", line: 14, shows: ["undefined method `mul' for Calc:Module"] },
    ],
    noise: ["Finished in", "Failed examples", "rspec ./spec"],
  },
  {
    fixture: "github-actions/node-oom.log",
    failures: [
      { kind: "infrastructure", tool: "ci", title: "The job ran out of memory (the process was killed)", shows: ["JavaScript heap out of memory"] },
    ],
    noise: [...npmSetup, "node::OOMErrorHandler"],
  },
  {
    // The generic fallback: the failed step's error, not the earlier setup warnings or the cache step's message.
    fixture: "github-actions/generic.log",
    failures: [
      { kind: "error", tool: "generic", title: "Error: Cannot find module 'left-pad'", file: "scripts/build.js", line: 1, column: 13, shows: ["Require stack:"] },
    ],
    noise: ["WARNING: Retrying", "cannot access '/nonexistent-cache'", "Module._resolveFilename", "Node.js v24", "Successfully installed"],
  },
  // Buildkite framing: ESC _bk;t=…BEL on every line, CRLF, --- / ~~~ / ^^^ +++ groups, 🚨 exit line.
  {
    fixture: "buildkite/jest.log",
    tests: { failed: 3, passed: 3 },
    failures: [
      { kind: "test", tool: "jest", title: "sum › adds negative numbers", file: "sum.test.cjs", line: 8, column: 25, shows: ["Expected: -2", "Received: -3", "expect(sum(-1, -2)).toBe(-2);"] },
      { kind: "test", tool: "jest", title: "parse › handles a missing value", file: "sum.cjs", line: 2, column: 47, shows: ["TypeError: Cannot read properties of undefined (reading 'toFixed')"] },
      { kind: "test", tool: "jest", title: "sums an array", file: "other.test.cjs", line: 3, column: 33, shows: ["Expected: 7", "Received: 6"] },
    ],
    noise: [...npmSetup, "Test Suites:", "Snapshots:", "Ran all test suites", "bk;t="],
  },
  {
    fixture: "buildkite/mocha.log",
    tests: { failed: 2, passed: 1 },
    failures: [
      { kind: "test", tool: "mocha", title: "calc › subtracts", file: "mocha/calc.spec.cjs", line: 5, column: 40, shows: ["Expected values to be strictly equal", "4 !== 2"] },
      { kind: "test", tool: "mocha", title: "calc › deep › compares objects", file: "mocha/calc.spec.cjs", line: 7, column: 49, shows: ["Expected values to be strictly deep-equal"] },
    ],
    noise: [...npmSetup, "1 passing", "processImmediate", "🚨"],
  },
  {
    fixture: "buildkite/rustc.log",
    failures: [
      { kind: "compile", tool: "rustc", title: "mismatched types [E0308]", file: "src/main.rs", line: 2, column: 5, shows: ["expected `i32`, found `usize`"] },
      { kind: "compile", tool: "rustc", title: "borrow of moved value: `name` [E0382]", file: "src/main.rs", line: 9, column: 30, shows: ["value borrowed here after move"] },
    ],
    noise: ["unused variable", "could not compile", "rustc --explain", "Compiling rsbin"],
  },
  {
    fixture: "buildkite/gxx.log",
    failures: [
      { kind: "compile", tool: "gcc/clang", title: "expected ‘;’ before ‘}’ token", file: "src/stats.cpp", line: 7, column: 29, shows: ["return total / xs.size()"] },
      { kind: "compile", tool: "gcc/clang", title: "could not convert ‘n’ from ‘int’ to ‘std::string’ {aka ‘std::__cxx11::basic_string<char>’}", file: "src/stats.cpp", line: 11, column: 12, shows: ["return n;"] },
      { kind: "compile", tool: "gcc/clang", title: "‘undefined_value’ was not declared in this scope", file: "src/main.cpp", line: 5, column: 12, shows: ["In function ‘int main()’"] },
    ],
    noise: ["Preparing working directory", "🚨"],
  },
  {
    fixture: "buildkite/black.log",
    failures: [
      { kind: "format", tool: "black", title: "fmt/style.py is not formatted", file: "fmt/style.py", line: 1, shows: ["--- a/fmt/style.py", "+++ b/fmt/style.py", "+def f(a, b):", "-x=f(1,2)"] },
    ],
    noise: ["Looking in indexes", "Oh no!", "2026-11-22 05:09"],
  },
  {
    fixture: "buildkite/phpunit.log",
    tests: { failed: 3, passed: 1, skipped: 0 },
    failures: [
      { kind: "crash", tool: "phpunit", title: "CalcTest::testDivides", file: "src/Calc.php", line: 4, shows: ["DivisionByZeroError: Division by zero"] },
      { kind: "test", tool: "phpunit", title: "CalcTest::testSubtracts", file: "tests/CalcTest.php", line: 7, shows: ["Failed asserting that 4 is identical to 2."] },
      { kind: "test", tool: "phpunit", title: "CalcTest::testNames", file: "tests/CalcTest.php", line: 9, shows: ["Failed asserting that two arrays are equal.", "+    'b' => 3"] },
    ],
    noise: ["PHPUnit 9.6.7 by", "Time: 00:00", "ERRORS!"],
  },
  {
    fixture: "buildkite/npm-reset.log",
    failures: [
      { kind: "infrastructure", tool: "ci", title: "Network error while downloading dependencies from the npm registry (ECONNRESET)", shows: ["request to http://127.0.0.1:47123/left-pad failed, reason: write ECONNRESET"] },
    ],
    noise: ["A complete log of this run"],
  },
  // CircleCI: plain step output with CRLF line ends and carriage-return progress redraws.
  {
    fixture: "circleci/unittest.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "unittest", title: "tests.test_unit.CalcTest.test_ratio_zero", file: "calc/__init__.py", line: 10, shows: ["ZeroDivisionError: division by zero"] },
      { kind: "test", tool: "unittest", title: "tests.test_unit.CalcTest.test_sub", file: "tests/test_unit.py", line: 7, shows: ["AssertionError: 4 != 2"] },
    ],
    noise: ["% Total", "Dload", "--:--:--", "Ran 3 tests"],
  },
  {
    fixture: "circleci/go-build.log",
    tests: { failed: 3 },
    failures: [
      { kind: "compile", tool: "go", title: "undefined: totl", file: "broken/broken.go", line: 8, column: 9, shows: [] },
      { kind: "test", tool: "go", title: "TestSub", file: "calc_test.go", line: 13, shows: [] },
      { kind: "test", tool: "go", title: "TestTable/big", file: "calc_test.go", line: 22, shows: [] },
      { kind: "crash", tool: "go", title: "TestDiv", file: "calc/calc.go", line: 9, shows: ["integer divide by zero"] },
    ],
    noise: ["#!/bin/bash -eo pipefail", "[build failed]"],
  },
  {
    fixture: "circleci/maven-compile.log",
    failures: [
      { kind: "compile", tool: "javac", title: "cannot find symbol", file: "src/main/java/com/example/Calc.java", line: 5, column: 54, shows: ["symbol:   variable c"] },
      { kind: "compile", tool: "javac", title: "incompatible types: int cannot be converted to java.lang.String", file: "src/main/java/com/example/Calc.java", line: 6, column: 55, shows: [] },
    ],
    noise: ["Recompiling the module", "Failed to execute goal", "BUILD FAILURE"],
  },
  {
    fixture: "circleci/javac.log",
    failures: [
      { kind: "compile", tool: "javac", title: "incompatible types: List<String> cannot be converted to int", file: "Main.java", line: 6, shows: ["int n = xs;"] },
      { kind: "compile", tool: "javac", title: "cannot find symbol", file: "Main.java", line: 7, shows: ["symbol:   method count(List<String>)"] },
    ],
    noise: ["2 errors"],
  },
  {
    fixture: "circleci/rustfmt.log",
    failures: [
      {
        kind: "format",
        tool: "rustfmt",
        title: "src/main.rs is not formatted",
        file: "src/main.rs",
        line: 2,
        shows: ["--- a/src/main.rs", "+++ b/src/main.rs", "@@ -2,7 +2,7 @@", "-fn main(){", "+fn main() {"],
      },
    ],
    noise: ["Diff in", "(B"],
  },
  {
    fixture: "circleci/prettier.log",
    failures: [{ kind: "format", tool: "prettier", title: "src/ok.js is not formatted", file: "src/ok.js", shows: [] }],
    noise: [...npmSetup, "Checking formatting"],
  },
  {
    fixture: "circleci/killed.log",
    failures: [
      { kind: "infrastructure", tool: "ci", title: "The job ran out of memory (the process was killed)", shows: ["Killed"] },
    ],
    noise: ["Looking in indexes", "Successfully"],
  },
  {
    fixture: "circleci/no-output.log",
    failures: [{ kind: "timeout", tool: "ci", title: "The job timed out: no output for 10m0s", shows: ["Too long with no output (exceeded 10m0s)"] }],
    noise: [...npmSetup],
  },
  // GitLab: section_start/section_end markers with \r ESC[0K, coloured runner lines, "ERROR: Job failed: exit code N".
  {
    fixture: "gitlab/node-test.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "node:test", title: "subtracts", file: "nodetest/calc.test.mjs", line: 6, column: 3, shows: ["Expected values to be strictly equal", "4 !== 2"] },
      { kind: "test", tool: "node:test", title: "throws a clear error", file: "nodetest/calc.test.mjs", line: 8, column: 1, shows: ["SyntaxError: Expected property name or '}' in JSON at position 1"] },
    ],
    noise: ["Running with gitlab-runner", "Preparing the \"docker\" executor", "adds (", "duration_ms", "section_", "Test.runInAsyncScope"],
  },
  {
    fixture: "gitlab/tap.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "tap", title: "calc › subtracts", file: "nodetest/calc.test.mjs", line: 6, column: 3, shows: ["4 !== 2"] },
      { kind: "test", tool: "tap", title: "throws a clear error", file: "nodetest/calc.test.mjs", line: 8, column: 1, shows: ["SyntaxError"] },
    ],
    noise: ["subtestsFailed", "1 subtest failed", "TAP version"],
  },
  {
    fixture: "gitlab/cargo-test.log",
    tests: { failed: 2, passed: 1, skipped: 0 },
    failures: [
      { kind: "test", tool: "cargo test", title: "tests::parses", file: "src/lib.rs", line: 23, column: 35, shows: ["ParseIntError"] },
      { kind: "test", tool: "cargo test", title: "tests::subtracts", file: "src/lib.rs", line: 18, column: 9, shows: ["left: 4"] },
    ],
    noise: ["RUST_BACKTRACE=1", "test failed, to rerun"],
  },
  {
    fixture: "gitlab/mcs.log",
    failures: [{ kind: "compile", tool: "csc", title: "CS1525: Unexpected symbol `}', expecting `;'", file: "Program.cs", line: 6, column: 4, shows: [] }],
    noise: ["Compilation failed: 1 error(s)", "Cleaning up project directory"],
  },
  {
    fixture: "gitlab/gxx-link.log",
    failures: [{ kind: "compile", tool: "ld", title: "undefined reference to helper()", shows: ["in function `main'"] }],
    noise: ["ld returned 1 exit status"],
  },
  {
    fixture: "gitlab/tsc-pretty.log",
    failures: [
      { kind: "compile", tool: "tsc", title: "TS2554: Expected 1 arguments, but got 2.", file: "src/main.ts", line: 3, column: 22, shows: ["console.log(greet(u, true));"] },
      { kind: "compile", tool: "tsc", title: "TS2322: Type 'string' is not assignable to type 'number'.", file: "src/main.ts", line: 4, column: 5, shows: ['let count: number = "3";'] },
      { kind: "compile", tool: "tsc", title: "TS2339: Property 'nmae' does not exist on type 'User'.", file: "src/user.ts", line: 8, column: 23, shows: [] },
    ],
    noise: ["Found 3 errors in 2 files", "Errors  Files"],
  },
  {
    fixture: "gitlab/pip-refused.log",
    failures: [
      {
        kind: "infrastructure",
        tool: "ci",
        title: "Network error while downloading dependencies from the Python package index (Failed to establish a new connection)",
        shows: ["Connection refused"],
      },
    ],
    noise: ["Running with gitlab-runner"],
  },
  // Raw tool output, no provider framing.
  {
    fixture: "raw/vitest-suites.log",
    tests: { failed: 0, passed: 2 },
    failures: [
      { kind: "crash", tool: "vitest", title: "suites/broken.test.js failed to run", file: "suites/broken.test.js", line: 2, column: 1, shows: ["Cannot find module './does-not-exist.js'"] },
      { kind: "crash", tool: "vitest", title: "Uncaught Exception: Error: late failure in timer", file: "suites/unhandled.test.js", line: 3, column: 28, shows: ['throw new Error("late failure in timer")'] },
    ],
    noise: ["Vitest caught 1 unhandled error", "This error originated in", "node:internal/timers", "(2 tests)"],
  },
  {
    fixture: "raw/jest-suite.log",
    tests: { failed: 0 },
    failures: [
      { kind: "crash", tool: "jest", title: "broken/syntax.test.cjs failed to run", file: "/tmp/fx/js/jest/broken/syntax.test.cjs", line: 2, shows: ["SyntaxError: Unexpected end of input"] },
    ],
    noise: ["Jest encountered an unexpected token", "transformIgnorePatterns", "https://jestjs.io/docs"],
  },
  {
    fixture: "raw/pytest-collect.log",
    tests: { failed: 1 },
    failures: [
      { kind: "crash", tool: "pytest", title: "bad/test_bad.py could not be collected", file: "bad/test_bad.py", line: 1, shows: ["ModuleNotFoundError: No module named 'calc.missing'"] },
    ],
    noise: ["platform linux", "Interrupted: 1 error during collection"],
  },
  {
    fixture: "raw/python-crash.log",
    failures: [{ kind: "crash", tool: "python", title: "KeyError: 'name'", file: "/tmp/fx/py/run.py", line: 7, shows: ['print(load("config.json")["name"])'] }],
    noise: [],
  },
  {
    fixture: "raw/flake8.log",
    failures: [
      { kind: "lint", tool: "flake8", title: "F401 'os' imported but unused", file: "src/app.py", line: 1, column: 1, shows: [] },
      { kind: "lint", tool: "flake8", title: "F401 'sys' imported but unused", file: "src/app.py", line: 2, column: 1, shows: [] },
      { kind: "lint", tool: "flake8", title: "F841 local variable 'unused' is assigned to but never used", file: "src/app.py", line: 6, column: 5, shows: [] },
    ],
    noise: [],
  },
  {
    // pylint counts columns from 0; the report counts from 1 like every other tool.
    fixture: "raw/pylint.log",
    failures: [
      { kind: "lint", tool: "pylint", title: "C0114 Missing module docstring (missing-module-docstring)", file: "src/app.py", line: 1, column: 1, shows: [] },
      { kind: "lint", tool: "pylint", title: "C0116 Missing function or method docstring (missing-function-docstring)", file: "src/app.py", line: 5, column: 1, shows: [] },
      { kind: "lint", tool: "pylint", title: `C0103 Argument name "xs" doesn't conform to snake_case naming style (invalid-name)`, file: "src/app.py", line: 5, column: 11, shows: [] },
      { kind: "lint", tool: "pylint", title: "W0612 Unused variable 'unused' (unused-variable)", file: "src/app.py", line: 6, column: 5, shows: [] },
      { kind: "lint", tool: "pylint", title: "C0116 Missing function or method docstring (missing-function-docstring)", file: "src/app.py", line: 10, column: 1, shows: [] },
      { kind: "lint", tool: "pylint", title: "W0611 Unused import os (unused-import)", file: "src/app.py", line: 1, column: 1, shows: [] },
      { kind: "lint", tool: "pylint", title: "W0611 Unused import sys (unused-import)", file: "src/app.py", line: 2, column: 1, shows: [] },
    ],
    noise: ["Your code has been rated", "************* Module app"],
  },
  {
    fixture: "raw/mypy.log",
    failures: [
      { kind: "compile", tool: "mypy", title: 'arg-type: Argument 1 to "greet" has incompatible type "int"; expected "str"', file: "src/app.py", line: 14, shows: [] },
      {
        kind: "compile",
        tool: "mypy",
        title: 'assignment: Incompatible types in assignment (expression has type "str", variable has type "int")',
        file: "src/app.py",
        line: 15,
        shows: [],
      },
    ],
    noise: ["Found 2 errors in 1 file"],
  },
  {
    fixture: "raw/shellcheck.log",
    failures: [
      { kind: "lint", tool: "shellcheck", title: "SC2035: Use ./*glob* or -- *glob* so names with dashes won't become options.", file: "scripts/deploy.sh", line: 2, column: 12, shows: ["files=$(ls *.txt)"] },
      { kind: "lint", tool: "shellcheck", title: "SC2086: Double quote to prevent globbing and word splitting.", file: "scripts/deploy.sh", line: 4, column: 8, shows: ["echo $f"] },
      { kind: "lint", tool: "shellcheck", title: "SC2164: Use 'cd ... || exit' or 'cd ... || return' in case cd fails.", file: "scripts/deploy.sh", line: 6, column: 1, shows: ["cd /some/dir"] },
      { kind: "lint", tool: "shellcheck", title: 'SC2115: Use "${var:?}" to ensure this never expands to / .', file: "scripts/deploy.sh", line: 7, column: 8, shows: ["rm -rf $TARGET/"] },
      { kind: "lint", tool: "shellcheck", title: "SC2086: Double quote to prevent globbing and word splitting.", file: "scripts/deploy.sh", line: 7, column: 8, shows: ["rm -rf $TARGET/"] },
    ],
    noise: ["Did you mean:", "For more information:", "https://www.shellcheck.net/wiki"],
  },
  {
    // yamllint prints eslint's table shape with the rule in parentheses.
    fixture: "raw/yamllint.log",
    failures: [
      { kind: "lint", tool: "yamllint", title: "too many spaces after colon (colons)", file: ".github/workflows/ci.yml", line: 8, column: 15, shows: [] },
      { kind: "lint", tool: "yamllint", title: "trailing spaces (trailing-spaces)", file: ".github/workflows/ci.yml", line: 8, column: 24, shows: [] },
      { kind: "lint", tool: "yamllint", title: 'duplication of key "name" in mapping (key-duplicates)', file: ".github/workflows/ci.yml", line: 10, column: 9, shows: [] },
    ],
    noise: ["missing document start", "truthy value"],
  },
  {
    // stylelint's string formatter: eslint's table with ✖ for errors.
    fixture: "raw/stylelint.log",
    failures: [
      { kind: "lint", tool: "stylelint", title: "Expected empty line before rule (rule-empty-line-before)", file: "src/app.css", line: 2, column: 1, shows: [] },
      { kind: "lint", tool: "stylelint", title: 'Unexpected unknown property "colr" (property-no-unknown)', file: "src/app.css", line: 3, column: 3, shows: [] },
      { kind: "lint", tool: "stylelint", title: "Unexpected unit (length-zero-no-unit)", file: "src/app.css", line: 4, column: 12, shows: [] },
    ],
    noise: ["3 problems", "potentially fixable"],
  },
  {
    fixture: "raw/markdownlint.log",
    failures: [
      { kind: "lint", tool: "markdownlint", title: "MD022/blanks-around-headings: Headings should be surrounded by blank lines", file: "docs/README.md", line: 1, shows: ['[Context: "# Title"]'] },
      { kind: "lint", tool: "markdownlint", title: "MD022/blanks-around-headings: Headings should be surrounded by blank lines", file: "docs/README.md", line: 3, shows: [] },
      { kind: "lint", tool: "markdownlint", title: "MD032/blanks-around-lists: Lists should be surrounded by blank lines", file: "docs/README.md", line: 5, shows: [] },
      { kind: "lint", tool: "markdownlint", title: "MD004/ul-style: Unordered list style", file: "docs/README.md", line: 6, column: 1, shows: ["[Expected: asterisk; Actual: plus]"] },
      { kind: "lint", tool: "markdownlint", title: "MD032/blanks-around-lists: Lists should be surrounded by blank lines", file: "docs/README.md", line: 6, shows: [] },
    ],
    noise: [],
  },
  {
    fixture: "raw/rubocop.log",
    failures: [
      { kind: "lint", tool: "rubocop", title: "Style/Documentation: Missing top-level documentation comment for class Cart.", file: "lib/cart.rb", line: 1, column: 1, shows: ["class Cart"] },
      { kind: "lint", tool: "rubocop", title: "Style/FrozenStringLiteralComment: Missing frozen string literal comment.", file: "lib/cart.rb", line: 1, column: 1, shows: [] },
      { kind: "lint", tool: "rubocop", title: "Layout/SpaceAroundOperators: Surrounding space missing for operator =.", file: "lib/cart.rb", line: 3, column: 8, shows: ["    sum=0", "       ^"] },
      { kind: "lint", tool: "rubocop", title: "Style/RedundantReturn: Redundant return detected.", file: "lib/cart.rb", line: 5, column: 5, shows: ["return sum"] },
    ],
    noise: ["Inspecting 1 file", "1 file inspected"],
  },
  {
    // A hook whose output another extractor reads (flake8) is reported through it; one nobody reads, as the hook.
    fixture: "raw/pre-commit.log",
    failures: [
      { kind: "lint", tool: "pre-commit", title: 'pre-commit hook "no-todo" failed', file: "src/app.py", line: 2, shows: ["# TODO remove this hack"] },
      { kind: "lint", tool: "flake8", title: "W291 trailing whitespace", file: "src/app.py", line: 3, column: 13, shows: [] },
    ],
    noise: ["Config files present", "- exit code: 1"],
  },
  {
    fixture: "raw/govet.log",
    failures: [{ kind: "compile", tool: "go", title: "fmt.Printf format %d has arg name of wrong type string", file: "main.go", line: 7, column: 2, shows: [] }],
    noise: [],
  },
  {
    fixture: "raw/clippy.log",
    failures: [
      { kind: "lint", tool: "clippy", title: "length comparison to zero", file: "src/main.rs", line: 3, column: 13, shows: ["let n = v.len() == 0;"] },
      { kind: "lint", tool: "clippy", title: "useless use of `vec!`", file: "src/main.rs", line: 2, column: 13, shows: ["let v = vec![1, 2, 3];"] },
    ],
    noise: ["Checking clip v0.1.0"],
  },
  {
    // The error, not webpack's closing count of errors.
    fixture: "raw/webpack.log",
    failures: [
      {
        kind: "compile",
        tool: "webpack",
        title: "Module not found: Error: Can't resolve './missing' in '/tmp/fx/bundle/src'",
        file: "src/index.js",
        line: 1,
        column: 1,
        shows: ["/tmp/fx/bundle/src/missing doesn't exist"],
      },
    ],
    noise: ["compiled with 1 error", "assets by status"],
  },
  {
    fixture: "raw/vite-resolve.log",
    failures: [{ kind: "compile", tool: "vite", title: 'Could not resolve "./missing" from "src/index.js"', file: "/tmp/fx/bundle/src/index.js", shows: [] }],
    noise: ["✗ Build failed", "getRollupError", "transforming..."],
  },
  {
    fixture: "raw/vite-syntax.log",
    failures: [
      { kind: "compile", tool: "vite", title: "src/index.js (1:10): Expression expected", file: "/tmp/fx/bundle/src/index.js", line: 1, column: 10, shows: ["1: const x = ;"] },
    ],
    noise: ["at getRollupError", "at convertNode"],
  },
  {
    fixture: "raw/cmake-find-package.log",
    failures: [
      {
        kind: "compile",
        tool: "cmake",
        title:
          'By not providing "FindLibFooMissing.cmake" in CMAKE_MODULE_PATH this project has asked CMake to find a package configuration file provided by "LibFooMissing", but CMake did not find one.',
        file: "CMakeLists.txt",
        line: 3,
        shows: ["CMake Error at CMakeLists.txt:3 (find_package):", "Could not find a package configuration file provided by \"LibFooMissing\""],
      },
    ],
    noise: ["-- Detecting C compiler ABI info", "-- Configuring incomplete, errors occurred!"],
  },
  {
    fixture: "raw/cmake-fatal.log",
    failures: [{ kind: "compile", tool: "cmake", title: "This project needs Windows: set PLATFORM=win64", file: "CMakeLists.txt", line: 4, shows: ["CMake Error at CMakeLists.txt:4 (message):"] }],
    noise: ["-- The C compiler identification", "See also"],
  },
  {
    fixture: "raw/cmake-generate.log",
    failures: [
      {
        kind: "compile",
        tool: "cmake",
        title: 'Target "app" links to: nosuchlib::nosuchlib but the target was not found.',
        file: "CMakeLists.txt",
        line: 4,
        shows: ["nosuchlib::nosuchlib", "* There is a typo in the target name."],
      },
    ],
    noise: ["-- Configuring done", "-- Generating done"],
  },
  {
    // An exception class name is an error word too: the crash, not the line printed before it, is the headline.
    fixture: "raw/ruby-crash.log",
    failures: [{ kind: "error", tool: "generic", title: "totals.rb:2:in `/': divided by 0 (ZeroDivisionError)", shows: ["from totals.rb:5:in `<main>'"] }],
    noise: [],
  },
  {
    // A database the job expected on 127.0.0.1 refused the connection: the code's or the workflow's problem, not a
    // registry's, so it is shown as it is rather than as a network error while downloading dependencies.
    fixture: "raw/node-service-refused.log",
    failures: [{ kind: "error", tool: "generic", title: "Error: connect ECONNREFUSED 127.0.0.1:5432", shows: ["Running migrations against postgres://127.0.0.1:5432/app_test"] }],
    noise: ["TCPConnectWrap.afterConnect"],
  },
  {
    // npm's own error, not the usage text it prints after it.
    fixture: "raw/npm-ci-lockfile.log",
    failures: [
      {
        kind: "error",
        tool: "npm",
        title: "`npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.",
        shows: ["Missing: left-pad@1.3.0 from lock file"],
      },
    ],
    noise: ["Usage:", "--install-strategy", "A complete log of this run"],
  },
  {
    fixture: "raw/npm-404.log",
    failures: [{ kind: "error", tool: "npm", title: "404 File not found - GET http://127.0.0.1:47124/lefft-pad", shows: ["'lefft-pad@*' could not be found"] }],
    noise: ["A complete log of this run"],
  },
  {
    // No extractor knows a project's own script: the fallback shows its error, not npm's banner.
    fixture: "raw/npm-run.log",
    failures: [{ kind: "error", tool: "generic", title: 'Error: config is missing the "name" field', shows: ["Checking config..."] }],
    noise: ["> demo@1.0.0 test", "> node check.js"],
  },
  {
    fixture: "raw/maven-resolve.log",
    failures: [
      {
        kind: "infrastructure",
        tool: "ci",
        title: "Network error while downloading dependencies from a Maven repository (Cannot access central (https://repo.maven.apache.org/maven2) in offline mode)",
        shows: ["plexus-utils:jar:1.1 has not been downloaded"],
      },
    ],
    noise: ["Scanning for projects"],
  },
];

describe.each(cases)("$fixture", ({ fixture, failures, tests, noise }) => {
  it("reports each failure with its place and the lines that explain it", async () => {
    const result = await analyzeFixture(fixture);
    expect(result.failures.map((f) => `${f.kind} ${f.tool}: ${f.title}`)).toEqual(
      failures.map((f) => `${f.kind} ${f.tool}: ${f.title}`),
    );
    failures.forEach((want, i) => {
      const got = result.failures[i] as Failure;
      expect({ file: got.file, line: got.line, column: got.column }).toEqual({ file: want.file, line: want.line, column: want.column });
      for (const text of want.shows) expect(shown(got)).toContain(text);
      expect(got.count).toBe(1);
      expect(got.excerpt.length).toBeLessThanOrEqual(15);
    });
    if (tests) expect(result.tests).toEqual(tests);
  });

  it("leaves out setup noise, passing tests and boilerplate", async () => {
    const result = await analyzeFixture(fixture);
    const report = result.failures.map(shown).join("\n");
    for (const text of noise) expect(report).not.toContain(text);
    // Nothing of the terminal or the provider framing survives.
    // eslint-disable-next-line no-control-regex
    expect(report).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]|_bk;t=|##\[|section_(?:start|end):/);
  });
});
