import { describe, expect, it } from 'vitest';
import { ApiError, normaliseErrorBody, request } from './apiClient';
import { jsonResponse, installFakeHttp } from '../test/fakeHttp';

const fake = installFakeHttp();

describe('errors', () => {
  it('splits DRF field errors from form-level messages', () => {
    expect(
      normaliseErrorBody({
        title: ['This field is required.'],
        category: ['"x" is not a valid choice.'],
        non_field_errors: ['Something else.'],
      }),
    ).toEqual({
      fieldErrors: { title: 'This field is required.', category: '"x" is not a valid choice.' },
      message: 'Something else.',
    });
    expect(normaliseErrorBody({ detail: 'Not found.' })).toEqual({ fieldErrors: {}, message: 'Not found.' });
    expect(normaliseErrorBody({ error: 'Description is required' }).message).toBe('Description is required');
  });

  it('rejects a 400 with an ApiError carrying the field errors', async () => {
    fake.respond = (config) => jsonResponse(config, 400, { title: ['This field is required.'] });
    const error = await request({ method: 'post', url: '/tickets/', data: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ title: 'This field is required.' });
  });

  it('says the API is unreachable when there is no response', async () => {
    fake.respond = () => new Error('Network Error');
    const error = await request({ method: 'patch', url: '/tickets/1/', data: { status: 'closed' } }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isNetworkError).toBe(true);
    expect(error.message).toMatch(/Cannot reach the ticket service/);
  });

  it('uses the detail of a 404', async () => {
    fake.respond = (config) => jsonResponse(config, 404, { detail: 'Not found.' });
    const error = await request({ method: 'patch', url: '/tickets/99/', data: {} }).catch((e) => e);
    expect(error.status).toBe(404);
    expect(error.message).toBe('Not found.');
    expect(fake.requests[0].method).toBe('patch');
    expect(new URL(fake.requests[0].uri).pathname).toBe('/api/tickets/99/');
  });
});
