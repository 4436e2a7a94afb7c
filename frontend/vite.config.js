import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// REACT_APP_API_URL (the name the rest of the project uses) is exposed to the
// bundle alongside Vite's own VITE_ prefix; src/config.js is its only reader.
export default defineConfig({
  plugins: [react()],
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
    include: ['src/**/*.test.{js,jsx}'],
    restoreMocks: true,
  },
});
