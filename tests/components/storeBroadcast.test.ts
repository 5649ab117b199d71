import {expect, test} from "vitest";
import {announceStoreChange, onStoreChange, storeChangeMessage, type StoreChange} from "../../src/components/storeBroadcast.js";

test("a save announced on one deployment's channel reaches another listener of it, not one of another deployment", async () => {
  const heard: StoreChange[] = [];
  const other: StoreChange[] = [];
  const stop = onStoreChange("dpf-sandbox:/a/", (c) => heard.push(c));
  const stopOther = onStoreChange("dpf-sandbox:/b/", (c) => other.push(c));
  announceStoreChange("dpf-sandbox:/a/", {kind: "saved", label: "本机导入：东区.xlsx", at: "10:15:00"});
  await new Promise((r) => setTimeout(r, 50));
  stop();
  stopOther();
  expect(heard).toEqual([{kind: "saved", label: "本机导入：东区.xlsx", at: "10:15:00"}]);
  expect(other).toEqual([]);
  expect(storeChangeMessage(heard[0]!)).toBe("另一个标签页已在 10:15:00 保存了「本机导入：东区.xlsx」，替换了本机保存的数据；本页仍显示打开时载入的数据，刷新后使用新数据。");
  expect(storeChangeMessage({kind: "cleared", at: "10:16:00"}, true)).toBe("另一个标签页已在 10:16:00 清除了本机保存的数据；下方为现在保存的数据。");
});
