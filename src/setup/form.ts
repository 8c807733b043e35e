import type { IncomingMessage } from "node:http";

export type FormResult = { ok: true; form: URLSearchParams } | { ok: false; status: 413 | 415; message: string };

const TOO_LARGE = { ok: false, status: 413, message: "The form is larger than any form of the setup page." } as const;

/** Reads an `application/x-www-form-urlencoded` body of at most `maxBytes`; nothing else is accepted. */
export async function readForm(req: IncomingMessage, maxBytes: number): Promise<FormResult> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    return { ok: false, status: 415, message: "This address only accepts the forms of the setup page." };
  }
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return TOO_LARGE;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop keeping the body but keep draining it, so the 413 can still be written on this connection.
      req.off("data", onData).off("end", onEnd);
      chunks.length = 0;
      resolve(TOO_LARGE);
    };
    const onEnd = () => resolve({ ok: true, form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")) });
    req.on("data", onData).on("end", onEnd).once("error", reject);
  });
}
