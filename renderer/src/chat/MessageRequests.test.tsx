// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { MessageRequestsView } from '../../../electron/contract/contract.js';
import { MessageRequests, type MessageRequestsProps } from './MessageRequests.js';
import { account, fakeApi, message, wholeHistory } from './testing.js';

const stranger = 'zed@elsewhere.test';
const view = (messages: number): MessageRequestsView => ({
  communityId: 'lab',
  requests: [{ peer: stranger, messages, last: message(`#${messages}`, { peer: stranger, direction: 'in', state: 'received' }) }],
});

function renderRequests(props: Partial<MessageRequestsProps> = {}) {
  const fake = fakeApi({ 'chat:history': () => wholeHistory(message('see https://spam.example', { peer: stranger, direction: 'in', state: 'received', id: 'r1' })) });
  const onAnswer = vi.fn();
  const all = { api: fake.api, accounts: [account()], messageRequests: { lab: view(1) }, onAnswer, ...props };
  const result = render(<MessageRequests {...all} />);
  return { ...fake, ...result, onAnswer, rerender: (changed: Partial<MessageRequestsProps>) => result.rerender(<MessageRequests {...all} {...changed} />) };
}

describe('MessageRequests', () => {
  it('shows nothing while nobody the user does not know has written', () => {
    renderRequests({ messageRequests: { lab: { communityId: 'lab', requests: [] } } });
    expect(screen.queryByRole('region', { name: 'Message requests' })).toBeNull();
  });

  it('says how many people wrote, and lists them with their messages once opened', async () => {
    const user = userEvent.setup();
    renderRequests();
    const summary = screen.getByRole('button', { name: '1 person you don’t know wrote to you' });
    expect(summary.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('list', { name: 'Message requests' })).toBeNull();

    await user.click(summary);
    const [item] = within(screen.getByRole('list', { name: 'Message requests' })).getAllByRole('listitem');
    expect(item?.textContent).toContain(`${stranger} · 1 message#1`);
  });

  it('reads a request’s messages as plain text, again as more arrive', async () => {
    const user = userEvent.setup();
    const { calls, rerender } = renderRequests();
    await user.click(screen.getByRole('button', { name: /wrote to you/ }));
    await user.click(screen.getByRole('button', { name: `Read messages from ${stranger}` }));

    const messages = await screen.findByRole('list', { name: `Messages from ${stranger}` });
    expect(messages.textContent).toBe('see https://spam.example');
    expect(within(messages).queryByRole('link')).toBeNull();
    rerender({ messageRequests: { lab: view(2) } });
    await waitFor(() => expect(calls('chat:history')).toEqual([{ communityId: 'lab', peer: stranger }, { communityId: 'lab', peer: stranger }]));
  });

  it('accepts or dismisses a request', async () => {
    const user = userEvent.setup();
    const { onAnswer } = renderRequests();
    await user.click(screen.getByRole('button', { name: /wrote to you/ }));
    await user.click(screen.getByRole('button', { name: `Accept messages from ${stranger}` }));
    await user.click(screen.getByRole('button', { name: `Dismiss messages from ${stranger}` }));
    expect(onAnswer.mock.calls).toEqual([
      [{ communityId: 'lab', peer: stranger }, true],
      [{ communityId: 'lab', peer: stranger }, false],
    ]);
  });
});
