/** An answer's bytes, read up to `maxBytes`; undefined as soon as it proves larger (nothing more is read). */
export async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** Text by the answer's declared charset (Yemot serves some Hebrew files as windows-1255); UTF-8 when none or unknown. */
export function decodeText(bytes: Uint8Array, contentType: string): string {
  const label = CHARSET.exec(contentType)?.[1];
  return decoderFor(label).decode(bytes);
}

function decoderFor(label: string | undefined): TextDecoder {
  if (label) {
    try {
      return new TextDecoder(label);
    } catch {
      // An unknown label (RangeError): fall through to UTF-8.
    }
  }
  return new TextDecoder();
}
