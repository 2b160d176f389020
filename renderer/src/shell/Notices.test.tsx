// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { BurrowApi } from '../../../electron/contract/contract.js';
import { fakeApi } from '../chat/testing.js';
import { Notices } from './Notices.js';

const current = vi.hoisted(() => ({ api: null as unknown as BurrowApi }));
vi.mock('../api/burrow.js', () => ({
  get burrow() {
    return current.api;
  },
}));

describe('Notices', () => {
  it('shows a standing notice told again with a new count in its place, not beside it', async () => {
    const { api, emit } = fakeApi({ 'app:listNotices': () => [] });
    current.api = api;
    render(<Notices />);

    emit('app:notice', { id: 'let-go', level: 'warning', message: 'Lab: let go of 1 contact request.' });
    emit('app:notice', { id: 'other', level: 'info', message: 'Something else.' });
    emit('app:notice', { id: 'let-go', level: 'warning', message: 'Lab: let go of 2 contact requests.' });

    expect(screen.getAllByRole('alert').map((notice) => notice.textContent)).toEqual(['Lab: let go of 2 contact requests.Dismiss']);
    expect(screen.getAllByRole('status').map((notice) => notice.textContent)).toEqual(['Something else.Dismiss']);
  });
});
