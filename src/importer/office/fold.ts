/**
 * Text folding for matching what offices write: full-width digits and letters (３，４５６ → 3,456), ideographic
 * spaces, and traditional script (區劃代碼 → 区划代码, 東湖街道 → 东湖街道) all read as the simplified,
 * half-width text our vocabulary is written in. Traditional → simplified is OpenCC's dictionary (opencc-js, its
 * 110 kB t2cn build), loaded only when a file holds traditional-only characters, so most imports never fetch it.
 */

type Convert = (text: string) => string;

let converter: Promise<Convert> | undefined;

function loadConverter(): Promise<Convert> {
  return (converter ??= import("opencc-js/t2cn").then((m) => {
    const mod = m as unknown as {Converter: (o: {from: string; to: string}) => Convert};
    // "t" (OpenCC's standard traditional) covers Taiwan and Hong Kong forms too for the characters forms use.
    const t = mod.Converter({from: "t", to: "cn"});
    const tw = mod.Converter({from: "tw", to: "cn"});
    const hk = mod.Converter({from: "hk", to: "cn"});
    return (text: string) => hk(tw(t(text)));
  }));
}

/**
 * Characters that exist only in traditional script and are frequent in federation forms (區, 殘, 數, 東 …).
 * A file with none of them is read without the dictionary; one hit loads it for the whole file.
 */
const TRADITIONAL_MARKERS = /[區劃碼單稱屬鄉鎮會戶證殘數視聽語體際計總東廣門衛臺灣國華縣輔導護補貼養學齡歲義務礙齊聯導點員訓練積額價況長與為這們個來時後說開關書寫記錄準報審負責註備號類級別無謹]/;

/** Cheap test: does this text need the traditional → simplified dictionary? */
export function hasTraditional(text: string): boolean {
  return TRADITIONAL_MARKERS.test(text);
}

/** NFKC (full-width → half-width, compatibility forms) and spaces collapsed; no dictionary. */
export function foldWidth(text: string): string {
  return text.normalize("NFKC").replace(/[\u00a0\u3000]/g, " ");
}

/** A folder for one import: synchronous once `prepare` has looked at a sample of the file's text. */
export interface TextFolder {
  /** True when the file held traditional script and the dictionary is in use. */
  readonly traditional: boolean;
  fold(text: string): string;
}

const identityFolder: TextFolder = {traditional: false, fold: foldWidth};

/**
 * Looks at a sample of a file's text (headers, names); when any of it is traditional, loads the dictionary and
 * returns a folder that converts every string; otherwise one that only folds widths.
 */
export async function prepareFolder(sample: Iterable<string>): Promise<TextFolder> {
  let traditional = false;
  for (const text of sample) {
    if (hasTraditional(text)) {
      traditional = true;
      break;
    }
  }
  if (!traditional) return identityFolder;
  const convert = await loadConverter();
  const cache = new Map<string, string>();
  return {
    traditional: true,
    fold(text: string): string {
      let out = cache.get(text);
      if (out === undefined) {
        out = convert(foldWidth(text));
        if (cache.size < 200_000) cache.set(text, out);
      }
      return out;
    },
  };
}
