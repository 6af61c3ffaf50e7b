// Validate documents with the bundled schemas, the way a JavaScript service
// would: Ajv 2020 in strict mode with ajv-formats, one schema file each and
// no other option. Then generate TypeScript types from each schema.
//
// Usage: node check.mjs DIR
//   DIR/manifest.json: {"schemas": {"KIND": "FILE"}, "documents": [{"file":
//   "FILE", "kind": "KIND"}]}, files relative to DIR.
// Prints {"verdicts": {"FILE": true|false}, "types": {"KIND": "TS source"}}.
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { compile } from "json-schema-to-typescript";

const dir = process.argv[2];
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
const manifest = read("manifest.json");
const validators = {};
const types = {};
for (const [kind, file] of Object.entries(manifest.schemas)) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const schema = read(file);
  validators[kind] = ajv.compile(schema);
  types[kind] = await compile(schema, kind, { bannerComment: "" });
}
const verdicts = {};
for (const { file, kind } of manifest.documents) {
  verdicts[file] = validators[kind](read(file));
}
process.stdout.write(JSON.stringify({ verdicts, types }));
