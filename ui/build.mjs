// Bundles the page into the assets the Davit assembly embeds: app.js, app.css and icon.svg.
//   node build.mjs                   writes ../src/Davit/Browser/Assets
//   node build.mjs --outdir <dir>    writes elsewhere (scripts/test.sh compares such a build with the committed one)
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const flag = process.argv.indexOf("--outdir");
const outdir = flag > 0 ? resolve(process.argv[flag + 1]) : join(here, "..", "src", "Davit", "Browser", "Assets");
mkdirSync(outdir, { recursive: true });

await build({
    entryPoints: { app: join(here, "src", "main.tsx") },
    outdir,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    banner: { js: "/* Davit browser page. Includes Preact (MIT License, Copyright (c) 2015-present Jason Miller). */" },
    charset: "utf8",
    logLevel: "warning",
});
copyFileSync(join(here, "public", "icon.svg"), join(outdir, "icon.svg"));
