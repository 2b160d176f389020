// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SearchResultView } from '../../../electron/contract/contract.js';
import { fakeApi, message } from '../chat/testing.js';
import { MessageSearch } from './MessageSearch.js';

const found: SearchResultView = {
  communityId: 'lab',
  peer: 'carol@chat.lab.test',
  message: message('the budget for Lisbon is approved', { peer: 'carol@chat.lab.test', direction: 'in', state: 'received', id: 'm-42' }),
  matches: [{ start: 15, end: 21 }],
};

function renderSearch(query: string, results: SearchResultView[] = [found]) {
  const fake = fakeApi({ 'search:messages': () => ({ results }) });
  const onOpen = vi.fn();
  const nameOf = ({ peer }: { peer: string }) => (peer === 'carol@chat.lab.test' ? 'Carol' : peer);
  const view = render(<MessageSearch api={fake.api} query={query} nameOf={nameOf} onOpen={onOpen} />);
  return { ...fake, onOpen, rerender: (next: string) => view.rerender(<MessageSearch api={fake.api} query={next} nameOf={nameOf} onOpen={onOpen} />) };
}

describe('MessageSearch', () => {
  it('stays out of the way until two characters are typed', () => {
    const { calls } = renderSearch('L');
    expect(screen.queryByRole('region', { name: 'Messages' })).toBeNull();
    expect(calls('search:messages')).toEqual([]);
  });

  it('finds messages in every conversation, marks what matched, and opens the conversation at the message', async () => {
    const user = userEvent.setup();
    const { onOpen } = renderSearch('Lisbon');
    const result = await screen.findByRole('button', { name: /Carol.*the budget for Lisbon is approved/ });
    expect(result.querySelector('mark')?.textContent).toBe('Lisbon');
    await user.click(result);
    expect(onOpen).toHaveBeenCalledWith({ communityId: 'lab', peer: 'carol@chat.lab.test' }, 'm-42');
  });

  it('says when nothing matches', async () => {
    renderSearch('Porto', []);
    expect(await screen.findByText('No messages match “Porto”.')).toBeTruthy();
  });

  it('asks once per pause in typing, for the latest text only', async () => {
    const { calls, rerender } = renderSearch('Li');
    rerender('Lis');
    rerender('Lisbon');
    await screen.findByRole('list', { name: 'Messages found' });
    await waitFor(() => expect(calls('search:messages')).toEqual([{ query: 'Lisbon' }]));
  });
});
