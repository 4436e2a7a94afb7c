// Lighthouse (mobile preset) on the built app, in Debian's Chromium. Run by
// `make lighthouse` through scripts/e2e.sh, which starts the API and the app's
// server and sets E2E_BASE_URL / E2E_API_URL. It first adds a screenful of
// tickets so the queue is measured as an agent sees it, then prints the four
// category scores and the Core Web Vitals, and writes the full report to
// test-results/lighthouse/. Scores are printed, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const BASE_URL = process.env.E2E_BASE_URL || 'http://127.0.0.1:3000';
const API_URL = process.env.E2E_API_URL || 'http://127.0.0.1:8000';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PATHS = (process.env.LIGHTHOUSE_PATHS || '/,/tickets/1').split(',');
const SEED = Number(process.env.LIGHTHOUSE_SEED ?? 30);
// Each page is measured RUNS times and the run with the median performance score is kept,
// so one slow moment on a shared machine does not decide the figures.
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));

const samples = [
  ['billing', 'high', 'Charged twice for the annual plan', 'My card shows two charges for the same invoice.'],
  ['technical', 'critical', 'Dashboard is down', 'The dashboard answers with an error page since this morning.'],
  ['account', 'medium', 'Cannot reset my password', 'The reset e-mail never arrives, even after an hour.'],
  ['general', 'low', 'Question about exports', 'Can tickets be exported to a spreadsheet every week?'],
];

async function seed(count) {
  for (let i = 0; i < count; i += 1) {
    const [category, priority, title, description] = samples[i % samples.length];
    const response = await fetch(`${API_URL}/api/tickets/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: `${title} (${i + 1})`, description, category, priority }),
    });
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
  }
}

await seed(SEED);
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const outDir = 'test-results/lighthouse';
mkdirSync(outDir, { recursive: true });
const rows = [];
try {
  for (const path of PATHS) {
    const results = [];
    for (let run = 0; run < RUNS; run += 1) {
      results.push(
        await lighthouse(`${BASE_URL}${path}`, {
          port: chrome.port,
          output: 'html',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
        }),
      );
    }
    results.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
    const result = results[Math.floor(results.length / 2)];
    const { categories, audits } = result.lhr;
    const name = path === '/' ? 'queue' : path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
    writeFileSync(`${outDir}/${name}.html`, result.report);
    const score = (key) => Math.round(categories[key].score * 100);
    rows.push({
      path,
      runs: results.map((r) => Math.round(r.lhr.categories.performance.score * 100)).join('/'),
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      seo: score('seo'),
      CLS: audits['cumulative-layout-shift'].numericValue.toFixed(3),
      FCP: audits['first-contentful-paint'].displayValue,
      LCP: audits['largest-contentful-paint'].displayValue,
      TBT: audits['total-blocking-time'].displayValue,
    });
    const failing = Object.values(categories)
      .flatMap((c) => c.auditRefs.map((ref) => audits[ref.id]))
      .filter(
        (a) =>
          a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual',
      )
      .map((a) => a.id);
    if (failing.length) console.log(`${path}: audits below 90: ${[...new Set(failing)].join(', ')}`);
  }
} finally {
  await chrome.kill();
}
console.table(rows);
writeFileSync(`${outDir}/summary.json`, `${JSON.stringify(rows, null, 2)}\n`);
