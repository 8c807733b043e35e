import { open } from "node:fs/promises";

const CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes as raw log chunks of 1 MiB, read into one buffer that is reused: a chunk is valid until the next
 * one is asked for (the analyser copies what it keeps). Streaming a 1 GB log this way leaves no garbage behind,
 * where a fresh buffer per read let the collector fall tens of megabytes behind.
 */
export async function* readFileChunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}
