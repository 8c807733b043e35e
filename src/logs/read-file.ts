import { open } from "node:fs/promises";

const CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes as raw log chunks of 1 MiB, read into two buffers used in turn: a chunk is valid until the next
 * one is asked for (the analyser copies what it keeps), and the next read runs while the caller works on the
 * current chunk. Streaming a 1 GB log this way leaves no garbage behind, where a fresh buffer per read let the
 * collector fall tens of megabytes behind.
 */
export async function* readFileChunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  let current = Buffer.allocUnsafe(CHUNK_BYTES);
  let spare = Buffer.allocUnsafe(CHUNK_BYTES);
  let next = file.read(current, 0, CHUNK_BYTES, null);
  try {
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return;
      next = file.read(spare, 0, CHUNK_BYTES, null);
      yield current.subarray(0, bytesRead);
      [current, spare] = [spare, current];
    }
  } finally {
    // A caller that stops early leaves a read in flight: let it settle before the file is closed.
    await next.catch(() => undefined);
    await file.close();
  }
}
