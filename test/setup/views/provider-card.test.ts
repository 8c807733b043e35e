import { describe, expect, it } from "vitest";
import { REQUIRED_SCOPES } from "../../../src/providers/buildkite/verify-token.ts";
import { PROVIDER_GUIDES } from "../../../src/setup/provider-guides.ts";
import { providerCard } from "../../../src/setup/views/provider-card.ts";

const account = { id: 5001, login: "acme", kind: "organization" as const, installationId: 9 };
const metadata = {
  accountId: 5001,
  provider: "circleci" as const,
  last4: "<b>1",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-02T00:00:00.000Z",
  verifiedAt: "2026-01-02T00:00:00.000Z",
  lastError: '<img src=x onerror="alert(1)">',
  scopes: null,
  updatedBy: "octo",
};

describe("providerCard", () => {
  it("escapes everything that came from outside: stored errors, ids and flash text", () => {
    const html = providerCard(
      {
        account,
        provider: "circleci",
        guide: PROVIDER_GUIDES.circleci,
        available: true,
        metadata,
        flash: { kind: "error", accountId: 5001, provider: "circleci", message: "<script>x</script>", hints: ['"quoted"'] },
      },
      { action: "/setup/tokens", csrf: '"><script>' },
    ).value;
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('role="alert"');
  });

  it("shows a failing token as failing, with its last error and the controls to fix it", () => {
    const html = providerCard(
      { account, provider: "circleci", guide: PROVIDER_GUIDES.circleci, available: true, metadata, flash: null },
      { action: "/setup/tokens", csrf: "c" },
    ).value;
    expect(html).toContain('<span class="badge bad">Failing</span>');
    expect(html).toContain("Verify again");
    expect(html).toContain('<label for="card-5001-circleci-rotate">New CircleCI personal API token</label>');
    expect(html).toContain("Disconnect CircleCI");
  });

  it("offers a labelled password field and the provider's token page when nothing is connected", () => {
    const html = providerCard(
      { account, provider: "buildkite", guide: PROVIDER_GUIDES.buildkite, available: true, metadata: null, flash: null },
      { action: "/setup/tokens", csrf: "c" },
    ).value;
    expect(html).toContain('<label for="card-5001-buildkite-connect">Buildkite API access token</label>');
    expect(html).toMatch(/<input type="password" id="card-5001-buildkite-connect" name="token" required/);
    expect(html).toContain('href="https://buildkite.com/user/api-access-tokens/new"');
    expect(html).toContain("read_build_logs");
  });

  it("gives each of the nine Buildkite read scopes it asks for a one-line reason", () => {
    const html = providerCard(
      { account, provider: "buildkite", guide: PROVIDER_GUIDES.buildkite, available: true, metadata: null, flash: null },
      { action: "/setup/tokens", csrf: "c" },
    ).value;
    expect(REQUIRED_SCOPES).toHaveLength(9);
    for (const scope of REQUIRED_SCOPES) {
      const reason = new RegExp(`<li><code>${scope}</code>: ([^<\\n]{15,200})</li>`).exec(html);
      expect(reason, scope).not.toBeNull();
    }
  });
});
