// Serves the built app (dist/) as the image does: precompressed brotli/gzip
// files (written by the build), immutable caching for the hashed files under
// /assets/, no caching for the HTML, the SPA fallback for every route (a page's
// own HTML file where it has one, see pages.js, else index.html), and
// the security headers, with a Content-Security-Policy that lets the page talk
// to the API origin (and the live-events origin when one is configured) only.
//
// Usage: node server/serve.js [--port 3000] [--host 0.0.0.0] [--dir dist]
// Environment: REACT_APP_API_URL, REACT_APP_EVENTS_URL (read as the build reads them), PORT, HOST.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';
import { securityHeaders } from './headers.js';
import { htmlFor } from './pages.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '3000' },
    host: { type: 'string', default: process.env.HOST || '0.0.0.0' },
    dir: { type: 'string', default: 'dist' },
  },
});

const root = resolve(args.dir);
if (!existsSync(resolve(root, 'index.html'))) {
  console.error(`serve: ${root}/index.html is missing; run "npm run build" first.`);
  process.exit(1);
}

const headers = securityHeaders(process.env);
const HASHED = /^\/assets\//;

const files = sirv(root, {
  single: true,
  brotli: true,
  gzip: true,
  etag: true,
  setHeaders(res, pathname) {
    // Files under /assets/ carry a content hash in their name: they never change.
    res.setHeader('Cache-Control', HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');
  },
});

const server = createServer((req, res) => {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed\n');
    return;
  }
  // A path of the app (not a file) is answered with its page's HTML.
  const [pathname, query = ''] = req.url.split('?');
  if (!/\.[^/]*$/.test(pathname)) {
    const html = htmlFor(pathname);
    if (html !== 'index.html') req.url = `/${html}${query ? `?${query}` : ''}`;
  }
  files(req, res, () => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end('Not found\n');
  });
});

server.listen(Number(args.port), args.host, () => {
  console.log(`serve: ${root} on http://${args.host}:${args.port}`);
  console.log(`serve: Content-Security-Policy: ${headers['Content-Security-Policy']}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
