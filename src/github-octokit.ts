import { ProbotOctokit } from "probot";

type Client = InstanceType<typeof ProbotOctokit>;

/**
 * A POST creates something, so sending it again after an ambiguous answer (a 502, a dropped connection: GitHub may
 * have created it) can create it twice. Octokit's retry plugin retries every 5xx; this turns that off for POSTs
 * unless a caller asks for retries itself. The caller decides what an ambiguous answer means (see report/publish.ts).
 */
function noBlindRetryOfCreates(octokit: Pick<Client, "hook">): void {
  octokit.hook.before("request", (options) => {
    if (options.method !== "POST" || options.request?.retries !== undefined) return;
    options.request = { ...options.request, retries: 0 };
  });
}

/**
 * The Octokit class Probot builds every GitHub client from. Probot binds the request its app authentication uses
 * to api.github.com, and only requests sent through a client follow `baseUrl`: an installation token asked for
 * directly (`octokit.auth({ type: "installation" })`, before any other call has cached one) went to github.com
 * even on GitHub Enterprise Server. Here the authentication's requests follow the configured API too.
 */
export function gitHubOctokit(apiUrl: URL): typeof ProbotOctokit {
  const baseUrl = apiUrl.toString().replace(/\/+$/, "");
  return ProbotOctokit.plugin(noBlindRetryOfCreates).defaults((options: Record<string, unknown>) => {
    const auth = options.auth as { request?: Client["request"] } | undefined;
    return {
      ...options,
      baseUrl,
      ...(auth?.request ? { auth: { ...auth, request: auth.request.defaults({ baseUrl }) } } : {}),
    };
  });
}
