/**
 * Tabs of one deployment telling each other that the city stored in this browser changed: without it,
 * two tabs saving different cities ended with the last one stored and the other tab none the wiser.
 * A BroadcastChannel named after the deployment's database (so /a/ and /b/ stay apart); only the
 * label of the city and the time travel, never its rows.
 */

export interface StoreChange {
  kind: "saved" | "cleared";
  /** The saved city's label ("本机导入：东区.xlsx"), for the message. */
  label?: string;
  at: string;
  /** The tab that sent it: other channels of the sending tab hear it too, and must not act on it. */
  from?: string;
}

// A channel does not hear itself, but every other BroadcastChannel of the same name hears it, those of
// the sending tab included: without this id the import page reacted to its own save by opening the
// city a second time, concurrently, in the same DuckDB (and failed on "units already exists").
const thisTab = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : String(Math.random()).slice(2);

const channelOf = (database: string) => (typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(database));

/** Tells every other tab of this deployment (never this one: its own listeners ignore what it sent). */
export function announceStoreChange(database: string, change: StoreChange): void {
  const channel = channelOf(database);
  if (!channel) return;
  channel.postMessage({...change, from: thisTab});
  channel.close();
}

const listening = new Set<BroadcastChannel>();

/** Calls `listener` whenever another tab of this deployment (never this one) saves or clears the stored city. */
export function onStoreChange(database: string, listener: (change: StoreChange) => void): () => void {
  const channel = channelOf(database);
  if (!channel) return () => {};
  channel.onmessage = (event: MessageEvent<StoreChange>) => {
    if (event.data?.from !== thisTab) listener(event.data);
  };
  // Held here: a channel nobody references may be garbage-collected, and then it hears nothing.
  listening.add(channel);
  return () => {
    listening.delete(channel);
    channel.close();
  };
}

/** What a tab says when another one changed the stored city; `refreshed`: this page shows the new state (the import page). */
export function storeChangeMessage(change: StoreChange, refreshed = false): string {
  const what = change.kind === "cleared" ? "清除了本机保存的数据" : `保存了「${change.label ?? "新数据"}」，替换了本机保存的数据`;
  const here = refreshed ? "下方为现在保存的数据。" : change.kind === "cleared" ? "本页仍显示打开时载入的数据，刷新后改用网站自带的数据。" : "本页仍显示打开时载入的数据，刷新后使用新数据。";
  return `另一个标签页已在 ${change.at} ${what}；${here}`;
}
