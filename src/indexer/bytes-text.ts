/**
 * Short fixed-size byte strings the contracts use as codes (a bytes3 ISO 4217 currency, a bytes12 unit label), as
 * text: printable ASCII with the zero padding cut, or the hex itself when the bytes are not printable (a code the
 * ledger stores must still be shown, and must not collide with a readable one).
 */
export function bytesText(hex: string): string {
  const body = hex.toLowerCase().replace(/^0x/, "").replace(/(00)+$/, "");
  if (body.length === 0) return "";
  const bytes = Buffer.from(body, "hex");
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return hex.toLowerCase();
  return bytes.toString("latin1");
}
