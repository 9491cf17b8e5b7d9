// The content type of bytes from their signature (never the sender's claim): what an attachment
// is served as. Unknown → application/octet-stream (downloaded, never rendered).
const SIGNATURES: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], "application/pdf"],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "image/png"],
  [[0xff, 0xd8, 0xff], "image/jpeg"],
  [[0x47, 0x49, 0x46, 0x38], "image/gif"],
  [[0x50, 0x4b, 0x03, 0x04], "application/zip"],
];

export function sniffType(bytes: Uint8Array): string {
  for (const [sig, type] of SIGNATURES) if (sig.every((b, i) => bytes[i] === b)) return type;
  if (bytes.length >= 12 && String.fromCharCode(...bytes.slice(0, 4)) === "RIFF" && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") return "image/webp";
  return "application/octet-stream";
}
