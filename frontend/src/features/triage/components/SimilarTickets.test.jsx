import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/apiClient';
import { renderWithProviders as render } from '../../../test/render';
import { getSimilarTickets } from '../api';
import SimilarTickets from './SimilarTickets';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  getSimilarTickets: vi.fn(),
}));

const FOUND = [
  {
    id: 12,
    title: 'Charged twice for March',
    category: 'billing',
    priority: 'high',
    status: 'open',
    created_at: '2026-11-01T10:00:00Z',
    score: 0.8,
  },
];

beforeEach(() => {
  getSimilarTickets.mockReset();
});

describe('SimilarTickets', () => {
  it('lists similar tickets as links with their labels once typing pauses', async () => {
    getSimilarTickets.mockResolvedValue(FOUND);
    const { rerender } = render(<SimilarTickets />);
    rerender(<SimilarTickets title="Refund" description="I was charged twice this month" />);
    const region = await screen.findByRole('region', { name: 'Similar tickets' });
    const link = await within(region).findByRole('link', { name: '#12 Charged twice for March' });
    expect(link).toHaveAttribute('href', '/tickets/12');
    expect(within(region).getByText('Billing')).toBeInTheDocument();
    expect(within(region).getByText('High')).toBeInTheDocument();
    expect(within(region).getByText('Open')).toBeInTheDocument();
    expect(within(region).getByText('80% match')).toBeInTheDocument();
    expect(getSimilarTickets).toHaveBeenCalledTimes(1);
    expect(getSimilarTickets).toHaveBeenCalledWith('Refund. I was charged twice this month', expect.anything());
  });

  it('asks nothing for a short description', async () => {
    render(<SimilarTickets title="Refund please now" description="hi ok" />);
    await act(() => new Promise((resolve) => setTimeout(resolve, 600)));
    expect(getSimilarTickets).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Similar tickets' })).not.toBeInTheDocument();
  });

  it('asks once for the text typing settled on, cancelling the ones left behind', async () => {
    getSimilarTickets.mockImplementation(
      (text, { signal }) =>
        new Promise((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
          setTimeout(() => resolve(FOUND), 50);
        }),
    );
    const { rerender } = render(<SimilarTickets />);
    rerender(<SimilarTickets description="The printer is jammed" />);
    rerender(<SimilarTickets description="The printer is jammed again" />);
    rerender(<SimilarTickets description="The printer is jammed again today" />);
    await screen.findByRole('link', { name: /Charged twice/ });
    expect(getSimilarTickets.mock.calls.map((c) => c[0])).toEqual(['The printer is jammed again today']);
  });

  it('says so when nothing is similar, and keeps a failure inside its box', async () => {
    getSimilarTickets.mockResolvedValueOnce([]);
    const { rerender } = render(<SimilarTickets description="Nothing like this ever happened" />);
    expect(await screen.findByText('No similar tickets so far.')).toBeInTheDocument();

    getSimilarTickets.mockRejectedValueOnce(new ApiError('The ticket service had a problem.', { status: 500 }));
    rerender(<SimilarTickets description="Something else entirely went wrong" />);
    await waitFor(() => expect(screen.getByText(/Similar tickets could not be loaded/)).toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
