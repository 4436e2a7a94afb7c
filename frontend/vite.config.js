import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';
import { PAGES, QUEUE_PAGE } from './server/pages.js';

// Writes a .br and a .gz copy beside every text file of the build, so the
// server (server/serve.js) sends them without compressing on each request.
function precompress() {
  let outDir;
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|css|html|svg|json|txt)$/.test(entry.name)) continue;
        const file = join(entry.parentPath, entry.name);
        const body = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

// Opens the connections to the API and to the live-event stream (when it has an origin of
// its own) while the bundle is still downloading. Both are asked with credentials (the
// session cookie), so the preconnect has no crossorigin attribute: with one, the browser
// opens an anonymous connection, which credentialed requests do not use.
function preconnect(urls) {
  const origins = new Set();
  for (const url of urls) {
    try {
      if (url) origins.add(new URL(url).origin);
    } catch {
      // Not a URL: src/lib/config.js warns about it and uses its default.
    }
  }
  return {
    name: 'preconnect',
    transformIndexHtml: () =>
      [...origins].map((href) => ({
        tag: 'link',
        attrs: { rel: 'preconnect', href },
        injectTo: 'head',
      })),
  };
}

// Page HTML files (server/pages.js): index.html preloads the queue's code, and each other
// page's file is index.html preloading that page's code instead, so a first visit downloads
// it beside the entry rather than after the entry has run.
function pagePreloads() {
  let config;
  return {
    name: 'page-preloads',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (!html) return;
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const source = String(html.source);
      const preloads = (module) => {
        const page = chunks.find((chunk) => chunk.facadeModuleId === resolve(config.root, module));
        if (!page) throw new Error(`page-preloads: no chunk for ${module}`);
        const scripts = new Set();
        const styles = new Set();
        const visit = (chunk) => {
          if (scripts.has(chunk.fileName)) return;
          scripts.add(chunk.fileName);
          chunk.viteMetadata?.importedCss.forEach((css) => styles.add(css));
          chunk.imports.forEach((name) => visit(bundle[name]));
        };
        visit(page);
        const href = (file) => `${config.base}${file}`;
        return [
          ...[...scripts].map((file) => `<link rel="modulepreload" crossorigin href="${href(file)}">`),
          // Loaded with the entry's styles, long before the entry has run: no page waits for them.
          ...[...styles].map((file) => `<link rel="stylesheet" crossorigin href="${href(file)}">`),
        ]
          .filter((tag) => !source.includes(`"${tag.match(/href="([^"]+)"/)[1]}"`))
          .join('\n    ');
      };
      const withPreloads = (module) => source.replace('</head>', `  ${preloads(module)}\n  </head>`);
      for (const page of PAGES)
        this.emitFile({ type: 'asset', fileName: page.html, source: withPreloads(page.module) });
      html.source = withPreloads(QUEUE_PAGE);
    },
  };
}

// REACT_APP_API_URL (the name the rest of the project uses) is exposed to the
// bundle alongside Vite's own VITE_ prefix; src/lib/config.js is its only reader.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'REACT_APP_');
  return {
    plugins: [
      react(),
      pagePreloads(),
      precompress(),
      preconnect([env.REACT_APP_API_URL?.trim() || 'http://localhost:8000', env.REACT_APP_EVENTS_URL?.trim()]),
    ],
    envPrefix: ['VITE_', 'REACT_APP_'],
    server: {
      host: '0.0.0.0',
      port: 3000,
      strictPort: true,
    },
    preview: {
      host: '0.0.0.0',
      port: 3000,
      strictPort: true,
    },
    test: {
      environment: 'jsdom',
      setupFiles: ['./src/test/setup.js'],
      include: ['src/**/*.test.{js,jsx}', 'server/**/*.test.js'],
      restoreMocks: true,
    },
  };
});
