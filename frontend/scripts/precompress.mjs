// Writes .br and .gz twins of every built asset worth compressing, once at build time,
// so the Flask app serves them without compressing per request (backend/dagkeeper/api/spa.py).
// Node's own zlib does both encodings; no plugin needed.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const ASSETS = new URL("../../backend/dagkeeper/api/static/assets/", import.meta.url).pathname;
const TEXT = /\.(js|css|svg|json|map|txt|html)$/;
const MIN_BYTES = 1024;

for (const name of readdirSync(ASSETS)) {
  if (!TEXT.test(name)) continue;
  const path = join(ASSETS, name);
  const body = readFileSync(path);
  if (body.length < MIN_BYTES) continue;
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  );
}
