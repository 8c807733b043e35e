import { describe, expect, it } from "vitest";
import { UnsafeUrl } from "../../src/errors.ts";
import { checkLogUrl } from "../../src/providers/log-hosts.ts";

const rules = ["logs.example-storage.com", /^bucket-\d+\.blob\.example\.net$/];

describe("signed log URLs", () => {
  it("accepts https on a known storage host, keeping the signature", () => {
    expect(checkLogUrl("https://logs.example-storage.com/a/b?sig=1", rules, []).toString()).toBe("https://logs.example-storage.com/a/b?sig=1");
    expect(checkLogUrl("https://bucket-7.blob.example.net/x", rules, []).hostname).toBe("bucket-7.blob.example.net");
  });

  it.each([
    "http://logs.example-storage.com/a",
    "https://logs.example-storage.com:8443/a",
    "https://user:pw@logs.example-storage.com/a",
    "https://logs.example-storage.com.evil.example/a",
    "https://evil.example/a",
    "https://bucket-x.blob.example.net/a",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "not a url",
  ])("refuses %s", (url) => {
    expect(() => checkLogUrl(url, rules, [])).toThrow(UnsafeUrl);
  });

  it("accepts an operator-configured host, on http too", () => {
    expect(checkLogUrl("http://127.0.0.1:9000/logs/1", rules, ["127.0.0.1"]).port).toBe("9000");
    expect(() => checkLogUrl("ftp://127.0.0.1/logs/1", rules, ["127.0.0.1"])).toThrow(UnsafeUrl);
  });
});
