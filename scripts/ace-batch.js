#!/usr/bin/env node
// Runs Ace by DAISY on several EPUBs in one process and one headless Chromium.
//
//   NODE_PATH=$ACE_DIR/node_modules node scripts/ace-batch.js EPUB OUTDIR [EPUB OUTDIR ...]
//
// Each EPUB gets the same report `ace-cli --outdir OUTDIR EPUB` writes (OUTDIR/report.json).
// ace-cli starts a browser for every book, which is most of its time on a small book; here the
// browser is launched once and Ace's own checker (ace-core) runs each book through it in turn.
// Exits 1 when Ace fails to run on a book (the verdict on the report is the caller's).
'use strict';

const path = require('path');
const ace = require('@daisy/ace-core');
const logger = require('@daisy/ace-logger');
const runner = require('@daisy/ace-axe-runner-puppeteer');

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: ace-batch.js EPUB OUTDIR [EPUB OUTDIR ...]');
  process.exit(2);
}

// The checker launches and closes its runner around each book; a shared runner keeps one
// browser for all of them and closes it at the end.
let launched = null;
const shared = Object.assign({}, runner, {
  launch: () => {
    launched = launched || runner.launch();
    return launched;
  },
  close: () => Promise.resolve(),
});

async function main() {
  logger.initLogger({ verbose: false, silent: true });
  let failed = 0;
  for (let i = 0; i < args.length; i += 2) {
    const epub = path.resolve(args[i]);
    const outdir = path.resolve(args[i + 1]);
    try {
      await ace(epub, { cwd: process.cwd(), outdir, silent: true, jobId: '' }, shared);
    } catch (err) {
      failed += 1;
      console.error(`Ace failed to run on ${epub}: ${err && err.message ? err.message : err}`);
    }
  }
  if (launched) {
    await launched;
    await runner.close();
  }
  return failed;
}

main().then(
  failed => process.exit(failed ? 1 : 0),
  err => {
    console.error(err);
    process.exit(1);
  },
);
