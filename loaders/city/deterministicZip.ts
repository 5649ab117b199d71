/**
 * Makes a ZIP (an .xlsx) byte-identical across runs: the archiver stamps every entry with the time of
 * writing; this sets each local and central-directory entry's DOS time to 1980-01-01 00:00. The CRCs
 * and sizes do not depend on the time, so the archive stays valid.
 */
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

export function fixZipTimestamps(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i + 4 <= out.length; ) {
    const sig = view.getUint32(i, true);
    if (sig === LOCAL) {
      view.setUint16(i + 10, 0, true);
      view.setUint16(i + 12, DOS_DATE_1980_01_01, true);
      const flags = view.getUint16(i + 6, true);
      const compressed = view.getUint32(i + 18, true);
      const nameLength = view.getUint16(i + 26, true);
      const extraLength = view.getUint16(i + 28, true);
      // With a data descriptor (flag bit 3) the size is 0 here: scan on to the next signature instead.
      i += 30 + nameLength + extraLength + (flags & 8 ? 0 : compressed);
      if (flags & 8) {
        while (i + 4 <= out.length && view.getUint32(i, true) !== LOCAL && view.getUint32(i, true) !== CENTRAL) i++;
      }
    } else if (sig === CENTRAL) {
      view.setUint16(i + 12, 0, true);
      view.setUint16(i + 14, DOS_DATE_1980_01_01, true);
      i += 46 + view.getUint16(i + 28, true) + view.getUint16(i + 30, true) + view.getUint16(i + 32, true);
    } else if (sig === 0x08074b50) {
      i += 16;
    } else {
      break;
    }
  }
  return out;
}
