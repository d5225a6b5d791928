// tesseract.js's own worker script, with what leptonica and tesseract print on
// stderr ("Error in boxClipToRectangle: box outside rectangle", "Estimating
// resolution as …") handed to the parent's logger at debug level instead: on a
// service's stderr such lines read as failures though they are harmless.
import { BroadcastChannel } from "node:worker_threads";

const channel = new BroadcastChannel(process.env.INTAKE_TESSERACT_STDERR_CHANNEL || "intake-tesseract-stderr");
channel.unref();
console.error = (...args) => channel.postMessage(args.map(String).join(" ").slice(0, 500));
// Imported only now, so the engine binds its stderr to the function above.
await import("tesseract.js/src/worker-script/node/index.js");
