import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console is built into dist/console, which the gateway serves at `/` (CONSOLE_DIR).
 * `npm run dev:console` serves it with hot reload and sends `/api` to a gateway on 3000.
 */
export default defineConfig({
  root: here('.'),
  plugins: [
    react(),
    // Brotli and gzip copies beside each file, which the gateway sends to browsers that take
    // them: a fraction of the bytes on a cold load, with no compressing per request.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|css|html|svg|json)$/,
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    // Hashed names under assets/: the gateway caches them for a year, index.html never.
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    // Brotli at its best takes most of the build: expected, not worth a warning each time.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
