import { Zip, ZipPassThrough } from "fflate";

export type ZipEntry = { path: string; chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> };

/**
 * A ZIP written as it is read: entries are stored (not compressed) and streamed chunk by chunk,
 * so an export of any size needs memory for one chunk, not the whole archive.
 */
export function zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, mtime: number): ReadableStream<Uint8Array> {
  async function* generate() {
    const out: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((err, data) => {
      if (err) failure = err;
      else out.push(data);
    });
    for await (const entry of entries) {
      const file = new ZipPassThrough(entry.path);
      file.mtime = mtime;
      zip.add(file);
      for await (const chunk of entry.chunks) {
        file.push(chunk);
        while (out.length) yield out.shift()!;
      }
      file.push(new Uint8Array(0), true);
      while (out.length) yield out.shift()!;
    }
    zip.end();
    while (out.length) yield out.shift()!;
    if (failure) throw failure;
  }
  return toStream(generate());
}

/** A byte stream pulled from an async generator: nothing is produced before the reader asks. */
export function toStream(it: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}

const enc = new TextEncoder();
export const utf8 = (s: string) => enc.encode(s);

/** The body of an R2 object as chunks (missing objects yield nothing). */
export async function* r2Chunks(bucket: R2Bucket, key: string): AsyncIterable<Uint8Array> {
  const obj = await bucket.get(key);
  if (!obj) return;
  const reader = obj.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}
