import type {RuleId} from "./rules.js";

/**
 * Names the files a planner may pick by mistake — a PDF, a Word document, a photo of the form, a
 * ZIP of the office's files, an OpenDocument or Numbers table, a web page saved as ".xls" — by their
 * first bytes (and, for ZIP files, the names inside), so the message says what the file is and what
 * to do instead of "unreadable". Workbooks the importer reads (.xlsx; .xls and WPS .et, OLE files)
 * are not named here; OLE files are told apart by their streams in xls.ts.
 */

export interface NamedFormat {
  rule: RuleId;
  /** The format in words, e.g. "PNG 图片". */
  detail: string;
}

const startsWith = (head: Uint8Array, bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Formats known by their first bytes that hold no table the importer reads; null for anything else. */
export function sniffOtherFormat(head: Uint8Array): NamedFormat | null {
  if (startsWith(head, ascii("%PDF"))) return {rule: "pdf_file", detail: "PDF 文件"};
  if (startsWith(head, ascii("Rar!\x1a\x07"))) return {rule: "rar_archive", detail: "RAR 压缩包"};
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return {rule: "rar_archive", detail: "7z 压缩包"};
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return {rule: "image_file", detail: "PNG 图片"};
  if (startsWith(head, [0xff, 0xd8, 0xff])) return {rule: "image_file", detail: "JPEG 图片"};
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return {rule: "image_file", detail: "GIF 图片"};
  // BMP: "BM", then the file size and four reserved zero bytes (text never has zero bytes).
  if (startsWith(head, ascii("BM")) && head.length >= 14 && startsWith(head, [0, 0, 0, 0], 6)) return {rule: "image_file", detail: "BMP 图片"};
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return {rule: "image_file", detail: "WebP 图片"};
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return {rule: "image_file", detail: "TIFF 图片"};
  if (startsWith(head, ascii("ftyp"), 4) && /^(heic|heix|hevc|mif1|msf1|avif)$/.test(String.fromCharCode(...head.subarray(8, 12)))) return {rule: "image_file", detail: "HEIC/AVIF 图片（手机照片）"};
  return sniffMarkup(head);
}

/** Text formats: RTF, web pages (what many systems export as ".xls") and Excel 2003 XML. */
function sniffMarkup(head: Uint8Array): NamedFormat | null {
  const bom = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  const text = new TextDecoder("latin1").decode(head.subarray(bom, bom + 4096)).trimStart().toLowerCase();
  if (text.startsWith("{\\rtf")) return {rule: "word_document", detail: "RTF 文档"};
  if (/^(<!doctype html|<html|<table|<meta )/.test(text)) return {rule: "html_file", detail: "HTML 网页"};
  if (/^mime-version:/.test(text) && text.includes("text/html")) return {rule: "html_file", detail: "单个文件网页（.mht）"};
  if (text.startsWith("<?xml")) {
    if (text.includes("urn:schemas-microsoft-com:office:spreadsheet") || text.includes('progid="excel.sheet"')) return {rule: "xml_spreadsheet", detail: "Excel 2003 XML 表格"};
    if (text.includes("<html")) return {rule: "html_file", detail: "XHTML 网页"};
  }
  return null;
}

/** What a ZIP file is, from the names of its entries: a workbook to read, or a format to name. */
export function zipFormat(names: string[], head: Uint8Array, fileName: string): "xlsx" | NamedFormat {
  const has = (name: string) => names.includes(name);
  // OpenDocument files start with an uncompressed "mimetype" entry naming the kind.
  const mime = /application\/vnd\.oasis\.opendocument\.([a-z-]+)/.exec(new TextDecoder("latin1").decode(head.subarray(0, 200)))?.[1];
  if (mime?.startsWith("spreadsheet")) return {rule: "ods_file", detail: "OpenDocument 表格（.ods）"};
  if (mime?.startsWith("text")) return {rule: "word_document", detail: "OpenDocument 文本（.odt）"};
  if (mime?.startsWith("presentation")) return {rule: "presentation_file", detail: "OpenDocument 演示文稿（.odp）"};
  if (has("xl/workbook.xml")) return "xlsx";
  if (has("word/document.xml")) return {rule: "word_document", detail: "Word 文档（.docx）"};
  if (has("ppt/presentation.xml")) return {rule: "presentation_file", detail: "PowerPoint 演示文稿（.pptx）"};
  if (has("xl/workbook.bin")) return {rule: "unreadable_xlsx", detail: "Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx"};
  // Numbers (and Pages, Keynote) keep their content in Index/*.iwa.
  if (names.some((n) => n.startsWith("Index/") && n.endsWith(".iwa")) || has("Index.zip")) {
    if (/\.pages$/i.test(fileName)) return {rule: "word_document", detail: "Apple Pages 文稿（.pages）"};
    if (/\.key$/i.test(fileName)) return {rule: "presentation_file", detail: "Apple Keynote 演示文稿（.key）"};
    return {rule: "numbers_file", detail: "Apple Numbers 表格（.numbers）"};
  }
  // A workbook whose listing could not be read (damaged): exceljs says what is wrong with it.
  if (has("[Content_Types].xml") || names.length === 0 || /\.(xlsx|xlsm)$/i.test(fileName)) return "xlsx";
  const files = names.filter((n) => !n.endsWith("/"));
  const shown = files.slice(0, 3).map((n) => n.split("/").pop()).join("、");
  return {rule: "zip_archive", detail: `压缩包内有 ${files.length} 个文件${shown ? `，如 ${shown}${files.length > 3 ? " 等" : ""}` : ""}`};
}

/** Bytes read from the end of a ZIP file to find its directory: the end record and its comment. */
const ZIP_TAIL_BYTES = 22 + 0xffff;
/** A central directory larger than this is not a planner's workbook: names taken from the head only. */
const MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024;

/**
 * The entry names of a ZIP file, from its central directory at the end (reliable even when entries
 * use data descriptors), else from the local headers in `head`. Never throws: a damaged file gives
 * the names it can.
 */
export async function zipEntryNames(size: number, head: Uint8Array, read: (start: number, end: number) => Promise<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder("utf-8");
  try {
    const tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
    const tail = await read(tailStart, size);
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    for (let at = tail.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) !== 0x06054b50) continue;
      const dirSize = view.getUint32(at + 12, true);
      const dirOffset = view.getUint32(at + 16, true);
      if (dirOffset + dirSize > size || dirSize > MAX_ZIP_DIRECTORY_BYTES) break;
      const dir = await read(dirOffset, dirOffset + dirSize);
      const d = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
      const names: string[] = [];
      for (let p = 0; p + 46 <= dir.length && d.getUint32(p, true) === 0x02014b50; ) {
        const nameLength = d.getUint16(p + 28, true);
        names.push(decoder.decode(dir.subarray(p + 46, p + 46 + nameLength)));
        p += 46 + nameLength + d.getUint16(p + 30, true) + d.getUint16(p + 32, true);
      }
      if (names.length) return names;
      break;
    }
  } catch {
    // Fall through to the local headers.
  }
  const names: string[] = [];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (let p = 0; p + 30 <= head.length && view.getUint32(p, true) === 0x04034b50; ) {
    const nameLength = view.getUint16(p + 26, true);
    names.push(decoder.decode(head.subarray(p + 30, p + 30 + nameLength)));
    const descriptor = (view.getUint16(p + 6, true) & 0x08) !== 0;
    const compressed = view.getUint32(p + 18, true);
    if (descriptor && compressed === 0) break; // the size follows the data: cannot skip to the next entry
    p += 30 + nameLength + view.getUint16(p + 28, true) + compressed;
  }
  return names;
}
