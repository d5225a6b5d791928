// One of several processes adding entries to one shared index, as assemble
// processes on several machines do: argv = archive root, writer id, count.
import { Archive } from "../src/archive.js";

const [root, id, count] = process.argv.slice(2);
const archive = new Archive({ root: root! });
const path = "index/senders/shared.json";
for (let i = 0; i < Number(count); i++) {
  await archive.withLocks([path], async () => {
    const list = (await archive.readJson<string[]>(path)) ?? [];
    // Yield between the read and the write, as real work does, so an unlocked writer would lose entries.
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    await archive.putJson(path, [...list, `${id}-${i}`]);
  });
}
