// Preloaded (`node --require`) into a run the bench measures: writes the process's peak resident set size, in KiB, to
// the file IMGLINT_BENCH_RSS_FILE names when the process exits.
const { writeFileSync } = require('node:fs');

process.once('exit', () => {
  if (process.env.IMGLINT_BENCH_RSS_FILE) writeFileSync(process.env.IMGLINT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
