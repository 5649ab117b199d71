import {normaliseHeader} from "./headers.js";

/**
 * Personal data detection (个人信息): resident ID-card numbers (18 characters with a valid GB 11643
 * check digit), disability certificate numbers (20 characters: the holder's ID number, then category
 * 1–7 and grade 1–4), mobile numbers and person names — by header and by content. A column found to
 * hold them is dropped before anything is stored, shown or exported; a single such value in a kept
 * column rejects its row with the value masked.
 */

export type PiiKind = "id_card" | "disability_certificate" | "mobile" | "name" | "address" | "birth_date";

export const piiKindLabels: Record<PiiKind, string> = {
  id_card: "身份证号",
  disability_certificate: "残疾人证号",
  mobile: "手机号",
  name: "姓名",
  address: "住址",
  birth_date: "出生日期",
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** The GB 11643-1999 check character of the first 17 digits of a resident ID number. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** An 18-character resident ID number with a valid check character (x or X). */
export function isIdCardNumber(text: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(text)) return false;
  return idCheckCharacter(text.slice(0, 17)) === text[17]!.toUpperCase();
}

/** A 20-character disability certificate number: a valid ID number, category 1–7, grade 1–4. */
export function isDisabilityCertificate(text: string): boolean {
  return text.length === 20 && /^\d{17}[\dXx][1-7][1-4]$/.test(text) && isIdCardNumber(text.slice(0, 18));
}

/** A mainland mobile number, with or without +86 and separators. */
export function isMobileNumber(text: string): boolean {
  return /^(?:\+?86)?1[3-9]\d{9}$/.test(text.replace(/[\s-]/g, ""));
}

// The most common surnames (together about 85% of the population), and the compound ones.
const SURNAMES = new Set(
  [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"],
);
const COMPOUND_SURNAMES = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "独孤"];
/** Endings of place and unit names that a surname-initial word may also have ("王村", "李家社区"). */
const NOT_NAME_ENDINGS = /(社区|村|街道|镇|乡|区|县|市|街|路|站|室|点|组|队|会|局|所|院|校|中心|办|处|科|部|委|庄|屯|湾|桥|山|河|湖|园|苑|城|里|巷|号|楼)$/;

/** A Chinese personal name: 2–4 Han characters beginning with a common surname, not a place name. */
export function looksLikeName(text: string): boolean {
  if (!/^[\u4e00-\u9fff·]{2,4}$/.test(text) || NOT_NAME_ENDINGS.test(text)) return false;
  return SURNAMES.has(text[0]!) || COMPOUND_SURNAMES.some((s) => text.startsWith(s) && text.length > 2);
}

const HEADER_WORDS: [PiiKind, RegExp][] = [
  ["id_card", /身份证|身份号码|证件号|公民身份|idcard|idnumber|idno/],
  ["disability_certificate", /残疾人?证|证号|certificate/],
  ["mobile", /手机|电话|联系方式|联系电话|phone|mobile|tel|telephone/],
  ["name", /^(姓名|名字|户主|户主姓名|监护人|监护人姓名|联系人|残疾人姓名|申请人|本人姓名|name|fullname|personname)$/],
  ["address", /住址|地址|户籍地|居住地|address/],
];

/** The kind of personal data a header announces ("身份证号", "联系电话", "姓名"), if any. */
export function piiKindOfHeader(header: string): PiiKind | null {
  const key = normaliseHeader(header).key;
  for (const [kind, pattern] of HEADER_WORDS) if (pattern.test(key)) return kind;
  return null;
}

/** The kind of personal data a whole cell is, if any (names only when asked: they need a column's context). */
export function piiKindOfValue(value: unknown, withNames = false): PiiKind | null {
  if (value === null || value === undefined || typeof value === "boolean" || value instanceof Date) return null;
  if (typeof value === "number") {
    // Excel stores long digit strings as numbers and keeps 15 significant digits: an 18-digit number is
    // an ID number with its last digits lost; an 11-digit one starting 1[3-9] is a mobile number.
    if (Number.isInteger(value) && value >= 1e17 && value < 1e18) return "id_card";
    if (Number.isInteger(value) && value >= 13e9 && value < 2e10) return "mobile";
    return null;
  }
  const raw = String(value);
  // An ID or mobile number needs 11 characters and a run of digits: most cells stop here without work.
  const digits = raw.length >= 11 && /[0-9\uFF10-\uFF19](?:[\s-]?[0-9\uFF10-\uFF19]){5}/.test(raw);
  if (!digits && !withNames) return null;
  const text = raw.normalize("NFKC").replace(/^'/, "").trim();
  if (digits) {
    if (isDisabilityCertificate(text)) return "disability_certificate";
    if (isIdCardNumber(text)) return "id_card";
    if (isMobileNumber(text)) return "mobile";
    const inside = piiInText(text);
    if (inside) return inside;
  }
  if (withNames && looksLikeName(text)) return "name";
  return null;
}

/** ID or mobile numbers inside longer text ("联系人 13812345678"). */
export function piiInText(text: string): PiiKind | null {
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d{17}[\dXx](?:[1-7][1-4])?(?![\dA-Za-z])/g)) {
    if (isIdCardNumber(m[0].slice(0, 18))) return m[0].length === 20 ? "disability_certificate" : "id_card";
  }
  if (/(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d{9}(?!\d)/.test(text)) return "mobile";
  return null;
}

export interface PiiColumnFinding {
  index: number;
  header: string;
  kind: PiiKind;
  /** How it was found: by the header, by the cells, or both. */
  by: "header" | "content" | "header+content";
  /** Cells of the sample that matched. */
  matches: number;
}

/**
 * Decides which columns hold personal data from the header and a sample of cells: a header that names
 * personal data, or at least half of the sample's non-empty cells (at least two) being ID, certificate
 * or mobile numbers or — in a column the schema does not know — names.
 */
export function findPiiColumns(headers: string[], sample: unknown[][], knownColumns: Set<number>): PiiColumnFinding[] {
  const findings: PiiColumnFinding[] = [];
  headers.forEach((header, index) => {
    // A header the schema knows is not a name column even if it says "name" (unit_name's "Unit name").
    const headerKind = piiKindOfHeader(header);
    const byHeader = headerKind === "name" && knownColumns.has(index) ? null : headerKind;
    const counts = new Map<PiiKind, number>();
    let filled = 0;
    for (const row of sample) {
      const v = row[index];
      if (v === null || v === undefined || v === "") continue;
      filled++;
      const kind = piiKindOfValue(v, !knownColumns.has(index));
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    let top: [PiiKind, number] | undefined;
    for (const entry of counts) if (!top || entry[1] > top[1]) top = entry;
    const byContent = top && top[1] >= Math.max(2, filled / 2) ? top : undefined;
    if (byHeader || byContent) {
      findings.push({
        index,
        header,
        kind: byHeader ?? byContent![0],
        by: byHeader && byContent ? "header+content" : byHeader ? "header" : "content",
        matches: top?.[1] ?? 0,
      });
    }
  });
  return findings;
}
