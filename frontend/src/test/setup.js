import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// The list renders its cards as an interruptible transition; on a busy machine
// that can take longer than Testing Library's default second.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});
