import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/apiClient';
import { renderWithProviders as render } from '../../../test/render';
import { classifyTicket } from '../api';
import { useClassify } from '../hooks/useClassify';
import TicketForm, { suggestionIdFor } from './TicketForm';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal()),
  classifyTicket: vi.fn(),
}));
vi.mock('../../triage/api', async (importOriginal) => ({
  ...(await importOriginal()),
  getSimilarTickets: vi.fn(async () => []),
}));

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// The form as App wires it: the classify hook feeds it suggestions.
function Harness({ onSubmit }) {
  const classifier = useClassify();
  return (
    <TicketForm
      classification={classifier}
      onDescriptionSettled={classifier.classify}
      onSubmit={onSubmit}
      onReset={classifier.reset}
    />
  );
}

function setup(onSubmit = vi.fn().mockResolvedValue({ ticket: { id: 7 }, visible: true })) {
  const user = userEvent.setup();
  render(<Harness onSubmit={onSubmit} />);
  const form = screen.getByRole('form', { name: 'New ticket' });
  const field = (name) => within(form).getByLabelText(name, { exact: false });
  return { user, form, field, onSubmit };
}

const suggestion = (category, priority, extra = {}) => ({
  category,
  priority,
  isDefault: false,
  note: '',
  ...extra,
});

beforeEach(() => {
  classifyTicket.mockReset();
});

describe('TicketForm', () => {
  it('has labelled Title, Description, Category and Priority controls', () => {
    const { field } = setup();
    expect(field('Title')).toHaveAttribute('name', 'title');
    expect(field('Description')).toHaveAttribute('name', 'description');
    expect(field('Category')).toHaveAttribute('name', 'category');
    expect(field('Priority')).toHaveAttribute('name', 'priority');
  });

  it('fills category and priority from the suggestion when the description loses focus', async () => {
    const pending = deferred();
    classifyTicket.mockReturnValue(pending.promise);
    const { user, form, field } = setup();

    await user.type(field('Description'), 'I was charged twice this month');
    await user.tab();

    expect(classifyTicket).toHaveBeenCalledWith('I was charged twice this month', expect.anything());
    expect(within(form).getByText(/Suggesting a category and priority/)).toBeInTheDocument();

    pending.resolve(suggestion('billing', 'high'));
    await waitFor(() => expect(field('Category')).toHaveValue('billing'));
    expect(field('Priority')).toHaveValue('high');
    expect(within(form).getAllByText('Suggested')).toHaveLength(2);
    expect(within(form).getByText(/AI suggestion: Billing · High/)).toBeInTheDocument();
  });

  it('never classifies while the agent types, however long the pause', async () => {
    classifyTicket.mockResolvedValue(suggestion('account', 'low'));
    const { user, field } = setup();

    await user.type(field('Description'), 'How do I reset my password?');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(classifyTicket).not.toHaveBeenCalled();
  });

  it('classifies a settled description once: blur again and Suggest send nothing more', async () => {
    classifyTicket.mockResolvedValue(suggestion('account', 'low', { suggestionId: 5 }));
    const { user, field } = setup();
    const suggest = screen.getByRole('button', { name: 'Suggest' });

    await user.type(field('Description'), 'How do I reset my password?');
    await user.tab();
    await waitFor(() => expect(field('Category')).toHaveValue('account'));
    expect(suggest).toBeDisabled();

    await user.click(field('Description'));
    await user.tab();
    await user.click(field('Description'));
    await user.type(field('Description'), '!');
    await user.type(field('Description'), '{Backspace}');
    await user.tab();
    expect(suggest).toBeDisabled();
    expect(classifyTicket).toHaveBeenCalledTimes(1);

    // A changed description is a new text: Suggest sends it, once.
    await user.type(field('Description'), ' It expired.');
    expect(suggest).toBeEnabled();
    await user.click(suggest);
    await user.click(field('Description'));
    await user.tab();
    await waitFor(() => expect(classifyTicket).toHaveBeenCalledTimes(2));
    expect(classifyTicket).toHaveBeenLastCalledWith('How do I reset my password? It expired.', expect.anything());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(classifyTicket).toHaveBeenCalledTimes(2);
  });

  it('tries a failed suggestion again only when Suggest is pressed', async () => {
    classifyTicket.mockRejectedValueOnce(new ApiError('The ticket service had a problem.', { status: 503 }));
    classifyTicket.mockResolvedValueOnce(suggestion('technical', 'high'));
    const { user, form, field } = setup();

    await user.type(field('Description'), 'The export crashes every time');
    await user.tab();
    await waitFor(() => expect(within(form).getByText(/No suggestion available/)).toBeInTheDocument());
    await user.click(field('Description'));
    await user.tab();
    expect(classifyTicket).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Suggest' }));
    await waitFor(() => expect(field('Category')).toHaveValue('technical'));
    expect(classifyTicket).toHaveBeenCalledTimes(2);
  });

  it('sends the suggestion_id it showed, and only for the description it was made for', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'medium', { suggestionId: 41, source: 'llm' }));
    const { user, field, onSubmit } = setup();

    await user.type(field('Title'), 'Double charge');
    await user.type(field('Description'), 'I was charged twice this month');
    await user.tab();
    await waitFor(() => expect(field('Priority')).toHaveValue('medium'));
    await user.selectOptions(field('Priority'), 'high');
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));
    expect(onSubmit).toHaveBeenLastCalledWith({
      title: 'Double charge',
      description: 'I was charged twice this month',
      category: 'billing',
      priority: 'high',
      suggestion_id: 41,
    });
    // The used suggestion is not asked for again when the form clears.
    await waitFor(() => expect(field('Description')).toHaveValue(''));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(classifyTicket).toHaveBeenCalledTimes(1);
  });

  it('links a suggestion only to the description it was made for', () => {
    const shown = { ...suggestion('billing', 'medium'), suggestionId: 41, text: 'I was charged twice' };
    expect(suggestionIdFor(shown, '  I was charged twice ')).toBe(41);
    expect(suggestionIdFor(shown, 'I was charged twice, and again')).toBeNull();
    expect(suggestionIdFor({ ...shown, suggestionId: null }, 'I was charged twice')).toBeNull();
    expect(suggestionIdFor(null, 'I was charged twice')).toBeNull();
  });

  it('files the ticket without the link when the suggestion can no longer be used', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'medium', { suggestionId: 41 }));
    const onSubmit = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError('Please correct the highlighted fields.', {
          status: 400,
          fieldErrors: { suggestion_id: 'This suggestion has expired.' },
        }),
      )
      .mockResolvedValueOnce({ ticket: { id: 8 }, visible: true });
    const { user, form, field } = setup(onSubmit);

    await user.type(field('Title'), 'Double charge');
    await user.type(field('Description'), 'I was charged twice this month');
    await user.tab();
    await waitFor(() => expect(field('Priority')).toHaveValue('medium'));
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    await waitFor(() => expect(within(form).getByRole('status')).toHaveTextContent('Ticket #8 created.'));
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(onSubmit.mock.calls[1][0]).not.toHaveProperty('suggestion_id');
  });

  it('keeps a choice the agent made before the suggestion arrived', async () => {
    const pending = deferred();
    classifyTicket.mockReturnValue(pending.promise);
    const { user, form, field } = setup();

    await user.type(field('Description'), 'The app shows an error and crashes');
    await user.tab();
    await user.selectOptions(field('Priority'), 'critical');

    pending.resolve(suggestion('technical', 'medium'));
    await waitFor(() => expect(field('Category')).toHaveValue('technical'));
    expect(field('Priority')).toHaveValue('critical');
    expect(within(form).getAllByText('Suggested')).toHaveLength(1);
  });

  it('lets the agent change a suggested value and submits the change', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'medium'));
    const { user, field, onSubmit } = setup();

    await user.type(field('Title'), 'Double charge');
    await user.type(field('Description'), 'I was charged twice this month');
    await user.tab();
    await waitFor(() => expect(field('Priority')).toHaveValue('medium'));
    await user.selectOptions(field('Priority'), 'high');
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    expect(onSubmit).toHaveBeenCalledWith({
      title: 'Double charge',
      description: 'I was charged twice this month',
      category: 'billing',
      priority: 'high',
    });
  });

  it('says so when the suggestion is only the default values', async () => {
    classifyTicket.mockResolvedValue(
      suggestion('general', 'medium', {
        isDefault: true,
        note: 'Using default values (LLM unavailable)',
      }),
    );
    const { user, form, field } = setup();

    await user.type(field('Description'), 'Something odd happened today');
    await user.tab();

    await waitFor(() => expect(field('Category')).toHaveValue('general'));
    expect(within(form).getByText(/AI triage is unavailable, so default values were filled in/)).toBeInTheDocument();
    expect(within(form).getAllByText('Default')).toHaveLength(2);
    expect(within(form).queryByText('Suggested')).not.toBeInTheDocument();
  });

  it('stays usable when classification fails', async () => {
    classifyTicket.mockRejectedValue(
      new ApiError('Too many requests; please wait a moment and try again.', { status: 429 }),
    );
    const { user, form, field, onSubmit } = setup();

    await user.type(field('Title'), 'Printer');
    await user.type(field('Description'), 'The printer on floor two is jammed');
    await user.tab();
    await waitFor(() => expect(within(form).getByText(/No suggestion available/)).toBeInTheDocument());

    await user.selectOptions(field('Category'), 'general');
    await user.selectOptions(field('Priority'), 'low');
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('requires title and description before sending anything', async () => {
    const { user, field, onSubmit } = setup();

    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Title is required.')).toBeInTheDocument();
    expect(screen.getByText('Description is required.')).toBeInTheDocument();
    expect(field('Title')).toHaveAttribute('aria-invalid', 'true');
    expect(field('Title')).toHaveAccessibleDescription('Title is required.');
    expect(field('Title')).toHaveFocus();
  });

  it('shows server errors beside their fields', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'high'));
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError('Please correct the highlighted fields.', {
        status: 400,
        fieldErrors: {
          title: 'Ensure this field has no more than 200 characters.',
          category: '"x" is not a valid choice.',
        },
      }),
    );
    const { user, field } = setup(onSubmit);

    await user.type(field('Title'), 'Refund');
    await user.type(field('Description'), 'Please refund my last invoice');
    await user.tab();
    await waitFor(() => expect(field('Category')).toHaveValue('billing'));
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    expect(await screen.findByText('Ensure this field has no more than 200 characters.')).toBeInTheDocument();
    expect(field('Title')).toHaveAccessibleDescription('Ensure this field has no more than 200 characters.');
    expect(field('Category')).toHaveAccessibleDescription('"x" is not a valid choice.');
    expect(field('Title')).toHaveValue('Refund'); // nothing the agent typed is lost
  });

  it('shows a form-level message when the API is unreachable', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'high'));
    const onSubmit = vi
      .fn()
      .mockRejectedValue(
        new ApiError('Cannot reach the ticket service at http://localhost:8000. Check that it is running.'),
      );
    const { user, field } = setup(onSubmit);

    await user.type(field('Title'), 'Refund');
    await user.type(field('Description'), 'Please refund my last invoice');
    await user.tab();
    await waitFor(() => expect(field('Category')).toHaveValue('billing'));
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the ticket service');
  });

  it('clears after a successful submit', async () => {
    classifyTicket.mockResolvedValue(suggestion('billing', 'high'));
    const { user, form, field } = setup();

    await user.type(field('Title'), 'Refund');
    await user.type(field('Description'), 'Please refund my last invoice');
    await user.tab();
    await waitFor(() => expect(field('Category')).toHaveValue('billing'));
    await user.click(screen.getByRole('button', { name: 'Create ticket' }));

    await waitFor(() => expect(field('Title')).toHaveValue(''));
    expect(field('Description')).toHaveValue('');
    expect(field('Category')).toHaveValue('');
    expect(field('Priority')).toHaveValue('');
    expect(within(form).queryByText('Suggested')).not.toBeInTheDocument();
    expect(within(form).getByRole('status')).toHaveTextContent('Ticket #7 created.');
  });
});
