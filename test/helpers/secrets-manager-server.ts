import { createHash, createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "./loopback-server.ts";

/**
 * A loopback stand-in for AWS Secrets Manager that speaks its JSON 1.1 protocol (POST /, `X-Amz-Target:
 * secretsmanager.<Operation>`, `{"__type": ..., "message": ...}` errors) and checks every request's SigV4
 * signature against the fake credentials, so the real SDK serialises, signs and retries against it.
 */

export const FAKE_CREDENTIALS = { accessKeyId: "AKIDLOOPBACKTEST0001", secretAccessKey: "loopback-secret-access-key" };
export const REGION = "eu-west-1";

export interface StoredSecret {
  arn: string;
  name: string;
  secretString: string;
  versionId: string;
  kmsKeyId: string | undefined;
  description: string | undefined;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  deletedDate: number | null;
}

export interface RecordedCall {
  operation: string;
  body: Record<string, unknown>;
}

interface Injected {
  status: number;
  type: string;
  message: string;
  remaining: number;
}

class AwsError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

const notFound = () => new AwsError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
const markedForDeletion = () =>
  new AwsError(400, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");

export class SecretsManagerStandIn {
  readonly secrets = new Map<string, StoredSecret>();
  readonly calls: RecordedCall[] = [];
  /** Requests refused because their signature did not verify. */
  badSignatures = 0;
  /** Page size of ListSecrets, small in tests that exercise NextToken. */
  listPageSize = 100;
  readonly #server = new LoopbackServer((req, res) => this.#handle(req, res));
  readonly #injected = new Map<string, Injected>();

  async start(): Promise<string> {
    return `http://127.0.0.1:${await this.#server.listen()}`;
  }

  async stop(): Promise<void> {
    await this.#server.close();
  }

  /** The next `times` calls of `operation` ("*" for any) fail with this AWS error. */
  fail(operation: string, error: { status: number; type: string; message?: string }, times = 1): void {
    this.#injected.set(operation, { ...error, message: error.message ?? error.type, remaining: times });
  }

  operations(): string[] {
    return this.calls.map((call) => call.operation);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.replace(/^secretsmanager\./, "");
    try {
      if (req.method !== "POST" || !target.startsWith("secretsmanager.")) {
        throw new AwsError(400, "UnknownOperationException", "unknown operation");
      }
      if (req.headers["content-type"] !== "application/x-amz-json-1.1") {
        throw new AwsError(400, "SerializationException", "wrong content type");
      }
      if (!verifySignature(req, raw)) {
        this.badSignatures += 1;
        throw new AwsError(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
      }
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      this.calls.push({ operation, body });
      for (const key of [operation, "*"]) {
        const injected = this.#injected.get(key);
        if (injected && injected.remaining > 0) {
          injected.remaining -= 1;
          throw new AwsError(injected.status, injected.type, injected.message);
        }
      }
      reply(res, 200, this.#operate(operation, body));
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError(500, "InternalServiceError", "stand-in failure");
      reply(res, aws.status, { __type: aws.type, message: aws.message }, aws.type);
    }
  }

  #operate(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case "CreateSecret": {
        const name = String(body.Name);
        const existing = this.secrets.get(name);
        if (existing?.deletedDate) {
          throw new AwsError(400, "InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.");
        }
        if (existing) throw new AwsError(400, "ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
        const secret: StoredSecret = {
          arn: `arn:aws:secretsmanager:${REGION}:000000000000:secret:${name}-${randomUUID().slice(0, 6)}`,
          name,
          secretString: String(body.SecretString),
          versionId: randomUUID(),
          kmsKeyId: typeof body.KmsKeyId === "string" ? body.KmsKeyId : undefined,
          description: typeof body.Description === "string" ? body.Description : undefined,
          tags: (body.Tags as StoredSecret["tags"] | undefined) ?? [],
          createdDate: Date.now() / 1000,
          deletedDate: null,
        };
        this.secrets.set(name, secret);
        return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
      }
      case "GetSecretValue": {
        const secret = this.#active(body.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          SecretString: secret.secretString,
          VersionStages: ["AWSCURRENT"],
          CreatedDate: secret.createdDate,
        };
      }
      case "PutSecretValue": {
        const secret = this.#active(body.SecretId);
        secret.secretString = String(body.SecretString);
        secret.versionId = randomUUID();
        return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ["AWSCURRENT"] };
      }
      case "DeleteSecret": {
        const days = body.RecoveryWindowInDays;
        if (typeof days === "number" && (days < 7 || days > 30)) {
          throw new AwsError(400, "InvalidParameterException", "RecoveryWindowInDays must be between 7 and 30 days.");
        }
        const secret = this.#active(body.SecretId);
        secret.deletedDate = Date.now() / 1000 + (typeof days === "number" ? days : 30) * 86_400;
        return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletedDate };
      }
      case "RestoreSecret": {
        const secret = this.#find(body.SecretId);
        secret.deletedDate = null;
        return { ARN: secret.arn, Name: secret.name };
      }
      case "DescribeSecret": {
        const secret = this.#find(body.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          KmsKeyId: secret.kmsKeyId,
          Tags: secret.tags,
          ...(secret.deletedDate ? { DeletedDate: secret.deletedDate } : {}),
        };
      }
      case "ListSecrets":
        return this.#list(body);
      default:
        throw new AwsError(400, "UnknownOperationException", `${operation} is not supported by the stand-in`);
    }
  }

  #list(body: Record<string, unknown>): unknown {
    const filters = (body.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
    const nameFilters = filters.filter((filter) => filter.Key === "name").flatMap((filter) => filter.Values);
    const matching = [...this.secrets.values()]
      .filter((secret) => body.IncludePlannedDeletion === true || secret.deletedDate === null)
      .filter((secret) => nameFilters.every((prefix) => secret.name.toLowerCase().startsWith(prefix.toLowerCase())))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = typeof body.NextToken === "string" ? Number(body.NextToken) : 0;
    const page = matching.slice(start, start + this.listPageSize);
    const next = start + this.listPageSize < matching.length ? String(start + this.listPageSize) : undefined;
    return {
      SecretList: page.map((secret) => ({ ARN: secret.arn, Name: secret.name, Tags: secret.tags })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  #find(id: unknown): StoredSecret {
    const secret = [...this.secrets.values()].find((candidate) => candidate.name === id || candidate.arn === id);
    if (!secret) throw notFound();
    return secret;
  }

  #active(id: unknown): StoredSecret {
    const secret = this.#find(id);
    if (secret.deletedDate) throw markedForDeletion();
    return secret;
  }
}

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-requestid": randomUUID(),
  };
  if (errorType) headers["x-amzn-errortype"] = `${errorType}:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/`;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/** SigV4 as AWS checks it: canonical request → string to sign → HMAC chain from the secret key. */
function verifySignature(req: IncomingMessage, body: string): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ""),
  );
  const amzDate = req.headers["x-amz-date"];
  if (!auth || typeof amzDate !== "string") return false;
  const [, keyId, date, region, service, signedHeaders, signature] = auth as unknown as string[];
  if (keyId !== FAKE_CREDENTIALS.accessKeyId || region !== REGION || service !== "secretsmanager") return false;
  const names = (signedHeaders ?? "").split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return false;
  const canonicalHeaders = names
    .map((name) => `${name}:${String(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const canonicalRequest = [req.method, "/", "", canonicalHeaders, signedHeaders, sha256(body)].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${FAKE_CREDENTIALS.secretAccessKey}`, date ?? "");
  for (const part of [region ?? "", service ?? "", "aws4_request"]) key = hmac(key, part);
  return hmac(key, stringToSign).toString("hex") === signature;
}
