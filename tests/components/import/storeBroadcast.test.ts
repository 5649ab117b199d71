import {expect, test} from "vitest";
import {announceStoreChange, onStoreChange, storeChangeMessage, type StoreChange} from "../../../src/components/import/storeBroadcast.js";

const settle = () => new Promise((r) => setTimeout(r, 50));

test("a save announced by another tab on one deployment's channel is heard there, not on another deployment's", async () => {
  const heard: StoreChange[] = [];
  const other: StoreChange[] = [];
  const stop = onStoreChange("dpf-sandbox:/a/", (c) => heard.push(c));
  const stopOther = onStoreChange("dpf-sandbox:/b/", (c) => other.push(c));
  // Another tab: a channel of the same name, sending as that tab does.
  const otherTab = new BroadcastChannel("dpf-sandbox:/a/");
  otherTab.postMessage({kind: "saved", label: "本机导入：东区.xlsx", at: "10:15:00", from: "another-tab"});
  otherTab.close();
  await settle();
  stop();
  stopOther();
  expect(heard).toEqual([{kind: "saved", label: "本机导入：东区.xlsx", at: "10:15:00", from: "another-tab"}]);
  expect(other).toEqual([]);
  expect(storeChangeMessage(heard[0]!)).toBe("另一个标签页已在 10:15:00 保存了「本机导入：东区.xlsx」，替换了本机保存的数据；本页仍显示打开时载入的数据，刷新后使用新数据。");
  expect(storeChangeMessage({kind: "cleared", at: "10:16:00"}, true)).toBe("另一个标签页已在 10:16:00 清除了本机保存的数据；下方为现在保存的数据。");
});

test("a tab does not hear its own save, though its listener is another channel of the same name", async () => {
  const heard: StoreChange[] = [];
  const stop = onStoreChange("dpf-sandbox:/a/", (c) => heard.push(c));
  // What another tab would hear of this save.
  const received: unknown[] = [];
  const otherTab = new BroadcastChannel("dpf-sandbox:/a/");
  otherTab.onmessage = (event) => received.push(event.data);
  announceStoreChange("dpf-sandbox:/a/", {kind: "saved", label: "本机导入：西区.xlsx", at: "10:20:00"});
  await settle();
  stop();
  otherTab.close();
  expect(heard).toEqual([]);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({kind: "saved", label: "本机导入：西区.xlsx"});
});
