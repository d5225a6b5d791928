import WordExtractor from "word-extractor";
import fs from "node:fs";
const ex = new WordExtractor();
const d = await ex.extract(fs.readFileSync(process.argv[2]));
console.log(JSON.stringify(d.getBody()));
