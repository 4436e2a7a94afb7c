import { describe, expect, it } from 'vitest';
import { installFakeHttp, jsonResponse } from '../../test/fakeHttp';
import { bulkUpdate, countMatching, listAgents } from './api';

const fake = installFakeHttp();

describe('queue api', () => {
  it('posts ids or the filter (without the ordering) with the values to set', async () => {
    fake.respond = (config) => jsonResponse(config, 200, { updated: 2 });
    await expect(bulkUpdate({ ids: [3, 4] }, { status: 'resolved' })).resolves.toEqual({ updated: 2 });
    await bulkUpdate({ filter: { status: 'open', search: ' vpn ', ordering: 'created_at' } }, { assignee: null });
    const [byIds, byFilter] = fake.requests;
    expect(byIds.uri).toMatch(/\/api\/tickets\/bulk\/$/);
    expect(JSON.parse(byIds.data)).toEqual({ set: { status: 'resolved' }, ids: [3, 4] });
    expect(JSON.parse(byFilter.data)).toEqual({ set: { assignee: null }, filter: { status: 'open', search: 'vpn' } });
  });

  it('counts the matching tickets with an offset page of one', async () => {
    fake.respond = (config) => jsonResponse(config, 200, { count: 42, results: [] });
    await expect(countMatching({ priority: 'high' })).resolves.toBe(42);
    expect(fake.requests[0].uri).toMatch(/\/api\/tickets\/\?priority=high&limit=1$/);
  });

  it('reads the agents as a plain array or a page', async () => {
    fake.respond = (config) => jsonResponse(config, 200, { results: [{ id: 1, username: 'a' }] });
    await expect(listAgents()).resolves.toEqual([{ id: 1, username: 'a' }]);
  });
});
