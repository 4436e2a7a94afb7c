import { act, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderHookWithProviders as renderHook } from '../../../test/render';
import { getStats } from '../api';
import { useStats } from './useStats';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  getStats: vi.fn(),
}));

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  getStats.mockReset().mockResolvedValue({ total_tickets: 1 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useStats', () => {
  it('loads at once and then polls', async () => {
    const { result } = renderHook(() => useStats({ pollMs: 10000 }));
    await waitFor(() => expect(result.current.stats).toEqual({ total_tickets: 1 }));
    expect(getStats).toHaveBeenCalledTimes(1);

    getStats.mockResolvedValue({ total_tickets: 2 });
    await act(async () => {
      vi.advanceTimersByTime(10000);
    });
    await waitFor(() => expect(result.current.stats).toEqual({ total_tickets: 2 }));
    expect(getStats).toHaveBeenCalledTimes(2);
  });

  it('refreshes on demand', async () => {
    const { result } = renderHook(() => useStats({ pollMs: 0 }));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(async () => {
      await result.current.refresh();
    });
    expect(getStats).toHaveBeenCalledTimes(2);
  });
});
