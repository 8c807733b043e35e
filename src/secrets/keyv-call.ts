import type { Keyv } from "keyv";
import { StoreUnavailable } from "../errors.ts";

/**
 * Runs a keyv call so that a backend failure always fails it. Once anyone listens for keyv's "error" event (as
 * keyv's docs advise for Redis), keyv turns a backend failure into that event and answers "not there" or "not
 * written"; a token store must never mistake an outage for "no token", so the event is caught and rethrown.
 */
export async function keyvCall<T>(keyv: Keyv, what: string, operation: () => Promise<T>): Promise<T> {
  let emitted: { error: unknown } | null = null;
  const onError = (error: unknown) => {
    emitted ??= { error };
  };
  keyv.on("error", onError);
  try {
    const result = await operation();
    if (emitted) throw (emitted as { error: unknown }).error;
    return result;
  } catch (error) {
    throw new StoreUnavailable(`the ${what} could not be reached; the job will be retried`, { cause: error });
  } finally {
    keyv.off("error", onError);
  }
}
