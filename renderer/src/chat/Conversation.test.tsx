// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageView } from '../../../electron/contract/contract.js';
import { Conversation, PAUSED_AFTER_MS, TYPING_SHOWN_FOR_MS, type ConversationProps } from './Conversation.js';
import type { FileSharing } from './useFileSharing.js';
import { layOutVirtualListsInEachTest, message } from './testing.js';

layOutVirtualListsInEachTest();

const now = new Date(2026, 2, 12, 15, 0);
const at = (day: number, hour: number) => new Date(2026, 2, day, hour).toISOString();

function renderConversation(props: Partial<ConversationProps> = {}) {
  const callbacks = {
    onSend: vi.fn<(body: string) => Promise<unknown>>(async () => undefined),
    onCorrect: vi.fn<(id: string, body: string) => Promise<unknown>>(async () => undefined),
    onRetry: vi.fn(),
    onChatState: vi.fn(),
    onOpenLink: vi.fn(),
  };
  const all: ConversationProps = {
    title: 'Bob',
    peer: 'bob@lab.test',
    subtitle: 'Available',
    messages: [],
    loading: false,
    peerState: undefined,
    notice: null,
    now,
    ...callbacks,
    ...props,
  };
  const result = render(<Conversation {...all} />);
  return { ...result, ...callbacks, props: all };
}

const item = (text: string) => {
  const items = screen.getAllByRole('listitem').filter((candidate) => candidate.textContent?.includes(text));
  expect(items).toHaveLength(1);
  return items[0]!;
};

afterEach(() => vi.useRealTimers());

describe('Conversation', () => {
  it('separates the days', () => {
    renderConversation({
      messages: [
        message('last week', { at: at(3, 9), direction: 'in', state: 'received' }),
        message('yesterday evening', { at: at(11, 20), direction: 'in', state: 'received' }),
        message('this morning', { at: at(12, 8) }),
        message('just now', { at: at(12, 14) }),
      ],
    });
    const separators = screen.getAllByRole('separator');
    expect(separators.map((separator) => separator.getAttribute('aria-label'))).toEqual([
      new Date(2026, 2, 3).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' }),
      'Yesterday',
      'Today',
    ]);
    const order = Array.from(screen.getByRole('log').querySelectorAll('[role=separator], [role=listitem]')).map((row) => row.getAttribute('aria-label') ?? row.querySelector('.message-body')?.textContent);
    expect(order.slice(1)).toEqual(['last week', 'Yesterday', 'yesterday evening', 'Today', 'this morning', 'just now']);
  });

  it('shows each outgoing message\'s state in words, and offers Retry on a failed one', () => {
    const failed = message('did not go', { state: 'failed' });
    const { onRetry } = renderConversation({
      messages: [
        message('waiting', { state: 'queued' }),
        message('hello', { state: 'delivered' }),
        message('on the server', { state: 'sent' }),
        failed,
        message('hi there', { direction: 'in', state: 'received' }),
      ],
    });
    expect(item('waiting').textContent).toContain('queued');
    expect(item('hello').textContent).toContain('delivered');
    expect(item('on the server').textContent).toContain('sent');
    expect(item('did not go').textContent).toContain('failed');
    expect(item('hi there').textContent).not.toMatch(/queued|sent|delivered|failed|received/);
    expect(within(item('hello')).queryByRole('button')).toBeNull();

    fireEvent.click(within(item('did not go')).getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith(failed.id);
  });

  it('follows a message\'s state as it changes', () => {
    const sent = message('hello', { state: 'queued' });
    const { rerender, props } = renderConversation({ messages: [sent] });
    expect(item('hello').textContent).toContain('queued');
    rerender(<Conversation {...props} messages={[{ ...sent, state: 'delivered' }]} />);
    expect(item('hello').textContent).toContain('delivered');
    expect(item('hello').textContent).not.toContain('queued');
  });

  it('makes web and mail links clickable, opens them outside, and never renders other schemes as links', () => {
    const { onOpenLink } = renderConversation({
      messages: [message('see https://example.test/page?x=1. or mailto:bob@lab.test or javascript:alert(1) <b>bold</b>', { direction: 'in', state: 'received' })],
    });
    const links = screen.getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['https://example.test/page?x=1', 'https://example.test/page?x=1'],
      ['mailto:bob@lab.test', 'mailto:bob@lab.test'],
    ]);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0]!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(onOpenLink).toHaveBeenCalledWith('https://example.test/page?x=1');
    expect(document.querySelector('a[href^="javascript"]')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    expect(item('javascript').textContent).toContain('javascript:alert(1) <b>bold</b>');
  });

  it('sends on Enter, starts a new line on Shift+Enter, and clears the composer', async () => {
    const user = userEvent.setup();
    const { onSend } = renderConversation();
    const composer = screen.getByRole('textbox', { name: 'Message' });
    expect(document.activeElement).toBe(composer);
    await user.type(composer, 'first line{Shift>}{Enter}{/Shift}second line');
    expect((composer as HTMLTextAreaElement).value).toBe('first line\nsecond line');
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('first line\nsecond line');
    expect((composer as HTMLTextAreaElement).value).toBe('');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it('gives the text back when sending is refused', async () => {
    const user = userEvent.setup();
    renderConversation({ onSend: vi.fn(async () => Promise.reject(new Error('Lab is not connected.'))) });
    const composer = screen.getByRole('textbox', { name: 'Message' });
    await user.type(composer, 'important{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Not sent: Lab is not connected.');
    expect((composer as HTMLTextAreaElement).value).toBe('important');
  });

  it('tells the peer when the user types and pauses, and shows when the peer is typing', () => {
    vi.useFakeTimers();
    const { onChatState, rerender, props } = renderConversation();
    const composer = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(composer, { target: { value: 'h' } });
    fireEvent.change(composer, { target: { value: 'he' } });
    expect(onChatState.mock.calls).toEqual([['composing']]);
    act(() => vi.advanceTimersByTime(PAUSED_AFTER_MS));
    expect(onChatState.mock.calls).toEqual([['composing'], ['paused']]);
    fireEvent.change(composer, { target: { value: 'hel' } });
    fireEvent.change(composer, { target: { value: '' } });
    expect(onChatState.mock.calls).toEqual([['composing'], ['paused'], ['composing'], ['active']]);

    expect(screen.queryByText('Bob is typing…')).toBeNull();
    rerender(<Conversation {...props} peerState={{ state: 'composing' }} />);
    expect(screen.getByText('Bob is typing…')).toBeTruthy();
    rerender(<Conversation {...props} peerState={{ state: 'paused' }} />);
    expect(screen.queryByText('Bob is typing…')).toBeNull();
  });

  it('stops showing that the peer is typing once they have said nothing more for a while', () => {
    vi.useFakeTimers();
    const { rerender, props } = renderConversation({ peerState: { state: 'composing' } });
    act(() => vi.advanceTimersByTime(TYPING_SHOWN_FOR_MS - 1_000));
    // Told again: the time starts over.
    rerender(<Conversation {...props} peerState={{ state: 'composing' }} />);
    act(() => vi.advanceTimersByTime(TYPING_SHOWN_FOR_MS - 1_000));
    expect(screen.getByText('Bob is typing…')).toBeTruthy();
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.queryByText('Bob is typing…')).toBeNull();
  });

  it('corrects the user’s last message: Up in an empty box puts it there, Enter replaces it', async () => {
    const user = userEvent.setup();
    const { onCorrect, onSend } = renderConversation({
      messages: [
        message('first', { id: 'm-1', at: at(12, 10) }),
        message('see you at 6', { id: 'm-2', at: at(12, 11) }),
        message('ok', { id: 'm-3', direction: 'in', state: 'received', at: at(12, 12) }),
      ],
    });
    const composer = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;

    await user.type(composer, '{ArrowUp}');
    expect(composer.value).toBe('see you at 6');
    expect(screen.getByText(/Correcting your message/)).toBeTruthy();
    await user.clear(composer);
    await user.type(composer, 'see you at 7{Enter}');

    expect(onCorrect.mock.calls).toEqual([['m-2', 'see you at 7']]);
    expect(onSend).not.toHaveBeenCalled();
    expect(composer.value).toBe('');
    expect(screen.queryByText(/Correcting your message/)).toBeNull();
  });

  it('offers Edit on the user’s last message only, and Esc leaves the message as it was', async () => {
    const user = userEvent.setup();
    const { onCorrect } = renderConversation({
      messages: [message('first', { id: 'm-1', at: at(12, 10) }), message('second', { id: 'm-2', at: at(12, 11) })],
    });

    expect(within(item('first')).queryByRole('button', { name: 'Edit' })).toBeNull();
    await user.click(within(item('second')).getByRole('button', { name: 'Edit' }));
    const composer = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    expect(composer.value).toBe('second');
    await user.type(composer, '{Escape}');
    expect(composer.value).toBe('');
    expect(onCorrect).not.toHaveBeenCalled();
  });

  it('says a corrected message was edited, whoever sent it', () => {
    renderConversation({
      messages: [message('my words', { at: at(12, 10), edited: true }), message('their words', { direction: 'in', state: 'received', at: at(12, 11), edited: true })],
    });
    expect(item('my words').textContent).toContain('edited');
    expect(item('their words').textContent).toContain('edited');
  });

  it('says on a message when its edit was not delivered, and why', () => {
    renderConversation({
      messages: [
        message('see you at 7', { at: at(12, 10), edited: true, editFailed: { condition: 'service-unavailable' } }),
        message('fine edit', { at: at(12, 11), edited: true }),
      ],
    });
    expect(item('see you at 7').textContent).toContain('edit not delivered');
    expect(within(item('see you at 7')).getByTitle(/their server would not take it.*still see the earlier text/)).toBeTruthy();
    expect(item('fine edit').textContent).not.toContain('not delivered');
  });

  it('says when messages have to wait, and when there are none yet', () => {
    renderConversation({ notice: 'Not connected to Lab: messages wait here and go out when Burrow reconnects.' });
    expect(screen.getByText('Not connected to Lab: messages wait here and go out when Burrow reconnects.')).toBeTruthy();
    expect(screen.getByText('No messages with Bob yet.')).toBeTruthy();
  });

  it('is labelled for assistive technology', () => {
    renderConversation({ messages: [message('hey', { direction: 'in', state: 'received' }) satisfies MessageView] });
    expect(screen.getByRole('heading', { name: 'Bob' })).toBeTruthy();
    expect(screen.getByRole('log', { name: 'Messages with Bob' })).toBeTruthy();
    expect(item('hey').textContent).toContain('Bob: hey');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  describe('a long conversation', () => {
    const many = (count: number) => Array.from({ length: count }, (_, n) => message(`message #${n}`, { id: `m${n}`, at: new Date(2026, 2, 12, 9, 0, n).toISOString(), direction: 'in', state: 'received' }));
    const shownBodies = () => Array.from(screen.getByRole('log').querySelectorAll('.message-body')).map((body) => body.textContent);

    it('puts only the messages in view in the page, at the bottom, and shows a new one there as it comes', () => {
      const messages = many(2_000);
      const { rerender, props } = renderConversation({ messages });
      const log = screen.getByRole('log', { name: 'Messages with Bob' });
      // jsdom does not tell the page it scrolled: a browser would, once the list was put at its bottom.
      fireEvent.scroll(log);
      expect(screen.getAllByRole('listitem').length).toBeLessThan(40);
      expect(shownBodies()).toContain('message #1999');
      expect(shownBodies()).not.toContain('message #0');

      rerender(<Conversation {...props} messages={[...messages, message('just in', { id: 'new', at: new Date(2026, 2, 12, 10).toISOString(), direction: 'in', state: 'received' })]} />);
      fireEvent.scroll(log);
      expect(item('just in')).toBeTruthy();
      expect(log.scrollTop).toBe(log.scrollHeight);
    });

    it('leaves the user where they scrolled to when a message comes, and asks for older ones near the top', () => {
      const onReachTop = vi.fn();
      const messages = many(2_000);
      const { rerender, props } = renderConversation({ messages, onReachTop });
      const log = screen.getByRole('log', { name: 'Messages with Bob' });
      fireEvent.scroll(log);
      expect(onReachTop).not.toHaveBeenCalled();

      log.scrollTop = 100;
      fireEvent.scroll(log);
      expect(onReachTop).toHaveBeenCalledOnce();
      expect(shownBodies()).toContain('message #0');
      log.scrollTop = 50;
      fireEvent.scroll(log);
      expect(onReachTop).toHaveBeenCalledOnce();

      rerender(<Conversation {...props} messages={[...messages, message('just in', { id: 'new', at: new Date(2026, 2, 12, 10).toISOString(), direction: 'in', state: 'received' })]} />);
      expect(log.scrollTop).toBe(50);
      expect(shownBodies()).not.toContain('just in');
    });
  });
});

describe('Conversation with files', () => {
  function fileSharing(overrides: Partial<FileSharing> = {}): FileSharing {
    return {
      limitWords: 'Files up to 8 MB.',
      uploads: [],
      share: vi.fn(),
      cancel: vi.fn(),
      fetchFile: vi.fn(async () => new Blob(['png'], { type: 'image/png' })),
      download: vi.fn(),
      ...overrides,
    };
  }

  it('says the server’s limit, and shares a file picked with Attach or pasted into the composer', async () => {
    const files = fileSharing();
    renderConversation({ files });
    expect(screen.getByText('Files up to 8 MB.')).toBeTruthy();
    const picked = new File(['report'], 'report.pdf', { type: 'application/pdf' });
    await userEvent.upload(screen.getByLabelText('File to send'), picked);
    expect(files.share).toHaveBeenCalledWith(picked);
    const screenshot = new File(['png'], 'image.png', { type: 'image/png' });
    fireEvent.paste(screen.getByRole('textbox', { name: 'Message' }), { clipboardData: { files: [screenshot], types: ['Files'] } });
    expect(files.share).toHaveBeenLastCalledWith(screenshot);
  });

  it('shows each upload with a labelled progress bar and Cancel', async () => {
    const files = fileSharing({ uploads: [{ key: 7, transferId: '3f1c2a9e-6b7d-4e2f-9a1b-2c3d4e5f6a7b', name: 'photo.png', sent: 512, total: 1024 }] });
    renderConversation({ files });
    const bar = screen.getByRole('progressbar', { name: 'Sending photo.png' });
    expect(bar.getAttribute('value')).toBe('512');
    expect(bar.getAttribute('max')).toBe('1024');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel sending photo.png' }));
    expect(files.cancel).toHaveBeenCalledWith(7);
  });

  it('previews a shared image and offers to download any shared file; other messages stay text', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    const files = fileSharing();
    renderConversation({
      files,
      messages: [
        message('https://upload.lab.test/a/photo.png', { id: 'image', direction: 'in', state: 'received' }),
        message('https://upload.lab.test/b/report.pdf', { id: 'file', direction: 'in', state: 'received' }),
        message('see https://example.test/x.png', { id: 'text', direction: 'in', state: 'received' }),
      ],
    });
    expect(await screen.findByRole('img', { name: 'photo.png' })).toBeTruthy();
    expect(files.fetchFile).toHaveBeenCalledExactlyOnceWith('https://upload.lab.test/a/photo.png', 'preview');
    await userEvent.click(screen.getByRole('button', { name: 'Download report.pdf' }));
    expect(files.download).toHaveBeenCalledWith(expect.objectContaining({ name: 'report.pdf' }));
    expect(screen.getByRole('link', { name: 'https://example.test/x.png' })).toBeTruthy();
  });
});
