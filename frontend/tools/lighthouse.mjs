// Lighthouse (mobile preset) on the built app, in Debian's Chromium. Run by
// `make lighthouse` through scripts/e2e.sh, which starts the API and the app's
// server and sets E2E_BASE_URL / E2E_API_URL. It first adds a screenful of
// tickets so the queue is measured as an agent sees it, then prints the four
// category scores and the Core Web Vitals, and writes the full report to
// test-results/lighthouse/ (HTML, and JSON for reading the audits' details). Scores are printed, never asserted.
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

// The API requires sign-in under scripts/e2e.sh: sign in as its agent, and send the
// session with every request, the seeding's and the measured pages' alike.
const cookies = new Map();
function keepCookies(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, ...value] = pair.split('=');
    cookies.set(name.trim(), value.join('='));
  }
}
const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

async function signIn() {
  const username = process.env.E2E_AGENT_USERNAME;
  if (!username) return {};
  const csrfResponse = await fetch(`${API_URL}/api/auth/csrf/`);
  keepCookies(csrfResponse);
  const { csrf_token: csrf } = await csrfResponse.json();
  const response = await fetch(`${API_URL}/api/auth/login/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf, Cookie: cookieHeader() },
    body: JSON.stringify({ username, password: process.env.E2E_AGENT_PASSWORD }),
  });
  if (!response.ok) throw new Error(`signing in failed: ${response.status} ${await response.text()}`);
  keepCookies(response);
  return { 'X-CSRFToken': (await response.json()).csrf_token };
}

async function seed(count, csrfHeader) {
  for (let i = 0; i < count; i += 1) {
    const [category, priority, title, description] = samples[i % samples.length];
    const response = await fetch(`${API_URL}/api/tickets/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookieHeader(), ...csrfHeader },
      body: JSON.stringify({ title: `${title} (${i + 1})`, description, category, priority }),
    });
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
  }
}

await seed(SEED, await signIn());
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
          output: ['html', 'json'],
          extraHeaders: cookies.size ? { Cookie: cookieHeader() } : undefined,
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
        }),
      );
    }
    results.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
    const result = results[Math.floor(results.length / 2)];
    const { categories, audits } = result.lhr;
    const name = path === '/' ? 'queue' : path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
    writeFileSync(`${outDir}/${name}.html`, result.report[0]);
    writeFileSync(`${outDir}/${name}.json`, result.report[1]);
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
