import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import Filters from './Filters';

vi.setConfig({ testTimeout: 20000 });

const NONE = { category: '', priority: '', status: '', search: '' };

/** A parent whose filters catch up late, as the address bar does on a busy page. */
function LaggingParent({ lagMs, onSettled }) {
  const [filters, setFilters] = useState(NONE);
  return (
    <Filters
      filters={filters}
      onChange={(changes) =>
        setTimeout(() => {
          setFilters((current) => ({ ...current, ...changes }));
          onSettled({ ...changes });
        }, lagMs)
      }
      onClear={() => setFilters(NONE)}
    />
  );
}

describe('the search box', () => {
  it('keeps every keystroke while the filters it shows catch up late', async () => {
    const settled = [];
    renderWithProviders(<LaggingParent lagMs={40} onSettled={(c) => settled.push(c.search)} />);
    const box = screen.getByRole('searchbox', { name: 'Search' });
    await userEvent.type(box, 'printer jam', { delay: 5 });
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(box).toHaveValue('printer jam');
    expect(settled.at(-1)).toBe('printer jam');
  });

  it('takes the filters value when it is not being typed in', async () => {
    function Parent() {
      const [filters, setFilters] = useState({ ...NONE, search: 'printer' });
      return (
        <>
          <Filters filters={filters} onChange={() => {}} onClear={() => {}} />
          <button type="button" onClick={() => setFilters(NONE)}>
            Reset from outside
          </button>
        </>
      );
    }
    renderWithProviders(<Parent />);
    const box = screen.getByRole('searchbox', { name: 'Search' });
    expect(box).toHaveValue('printer');
    await userEvent.click(screen.getByRole('button', { name: 'Reset from outside' }));
    expect(box).toHaveValue('');
  });
});
