import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {codePointOffset, normaliseText} from "../../loaders/sources/normaliseText.js";
import {readSources} from "../../loaders/sources/readSources.js";

const digitRuns = (text: string) => text.match(/[0-9０-９]+/g) ?? [];

describe("normaliseText", () => {
  it("removes the pinyin annotation after each character", () => {
    expect(normaliseText("殘聯(lián)確定為全國首批10個(gè)示范區(qū)").text).toBe("殘聯確定為全國首批10個示范區");
  });

  it("removes annotations in full-width parentheses and of several syllables", () => {
    expect(normaliseText("殘聯（lián）工作 保障(bǎo zhàng)").text).toBe("殘聯工作 保障");
  });

  it("keeps real parentheses with numbers, Chinese or toneless letters inside", () => {
    const text = "(一)指導思想 (2012年) 組織籌備階段(2011年3月) 社區(村) 文件(PPT) (1)關于";
    expect(normaliseText(text).text).toBe(text);
  });

  it("keeps a toned word in parentheses after a digit, so two numbers never run together", () => {
    expect(normaliseText("60(lián)60").text).toBe("60(lián)60");
  });

  it("removes an annotation whose opening parenthesis was lost to mojibake, keeping the ?", () => {
    expect(normaliseText("占全市低保總人藬?shù)的48%").text).toBe("占全市低保總人藬?的48%");
  });

  it("leaves the script and conversion artefacts as they are", () => {
    const text = "社区残疾人效劳设施 根本原那么 殘疾人托養服務";
    expect(normaliseText(text).text).toBe(text);
  });

  it("maps every normalised position back to the same character of the original", () => {
    const {original, text, originalIndex} = normaliseText("準(zhǔn)備了陽(yáng)光家園60%");
    for (let i = 0; i < text.length; i++) expect(original[originalIndex[i]]).toBe(text[i]);
    expect(originalIndex[text.length]).toBe(original.length);
  });

  it("never loses or changes a digit sequence of the five source documents", () => {
    for (const source of readSources()) expect(digitRuns(source.text)).toEqual(digitRuns(source.original));
  });

  it("removes hundreds of annotations from the pinyin-annotated documents and none from the others", () => {
    const removed = Object.fromEntries(readSources().map((s) => [s.document.slice(0, 3), s.removed]));
    expect(removed["000"]).toBe(0);
    expect(removed["002"]).toBeGreaterThan(300);
    expect(removed["004"]).toBe(0);
  });

  it("never changes a digit sequence, whatever the text (property)", () => {
    const piece = fc.constantFrom("殘", "聯", "(lián)", "(一)", "(2012年)", "(", ")", "60", "%", "?", "shù)", "１２", " ", "yè", "(yè");
    fc.assert(fc.property(fc.array(piece, {maxLength: 30}), (pieces) => {
      const original = pieces.join("");
      expect(digitRuns(normaliseText(original).text)).toEqual(digitRuns(original));
    }));
  });
});

describe("codePointOffset", () => {
  it("counts a character outside the basic plane once", () => {
    expect(codePointOffset("𠀋60%", "𠀋".length)).toBe(1);
  });
});
