// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { MAX_AVATAR_BYTES } from '../../../electron/contract/avatars.js';
import { Avatar, AvatarProvider, ChooseAvatar } from './avatars.js';
import { fakeApi } from './testing.js';

const hash = 'a'.repeat(40);
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

// jsdom makes no blob: URLs: these stand in, numbered, and say which were let go.
let made = 0;
const revoked: string[] = [];
beforeEach(() => {
  made = 0;
  revoked.length = 0;
  URL.createObjectURL = vi.fn(() => `blob:avatar-${++made}`);
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
});
afterEach(() => vi.restoreAllMocks());

const picture = (container: HTMLElement) => container.querySelector('.avatar img')?.getAttribute('src') ?? null;

describe('an avatar', () => {
  it('shows the initial until core has a picture, asks for it once, and follows changes', async () => {
    const fake = fakeApi();
    const { container } = render(
      <AvatarProvider api={fake.api}>
        <Avatar communityId="lab" jid="bob@lab.test" name="bob" />
        <Avatar communityId="lab" jid="bob@lab.test" name="bob" />
      </AvatarProvider>,
    );
    expect(container.querySelector('.avatar')?.getAttribute('data-initial')).toBe('B');
    await waitFor(() => expect(fake.calls('avatars:get')).toEqual([{ communityId: 'lab', jid: 'bob@lab.test' }]));

    fake.emit('avatars:changed', { communityId: 'lab', jid: 'bob@lab.test', image: { hash, mime: 'image/png', data: png } });
    expect(picture(container)).toBe('blob:avatar-1');
    expect(container.querySelectorAll('img')).toHaveLength(2);

    fake.emit('avatars:changed', { communityId: 'lab', jid: 'bob@lab.test', image: null });
    expect(picture(container)).toBeNull();
    expect(revoked).toEqual(['blob:avatar-1']);
  });

  it('is the initial alone where no store is given', () => {
    const { container } = render(<Avatar communityId="lab" jid="bob@lab.test" name="Bob" />);
    expect(container.querySelector('.avatar')?.getAttribute('data-initial')).toBe('B');
  });
});

describe('Choose avatar…', () => {
  it('sends the chosen image to every community, and refuses one too large at once', async () => {
    const fake = fakeApi({ 'avatars:setOwn': ({ communityId }) => ({ communityId, jid: 'alice@lab.test', image: null }) });
    const onError = vi.fn();
    render(<ChooseAvatar api={fake.api} communityIds={['lab', 'work']} onError={onError} />);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Choose avatar…' }).disabled).toBe(false);

    const file = new File([Uint8Array.from(atob(png), (char) => char.charCodeAt(0))], 'me.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Avatar image'), { target: { files: [file] } });
    await waitFor(() => expect(fake.calls('avatars:setOwn')).toEqual([{ communityId: 'lab', data: png }, { communityId: 'work', data: png }]));

    const huge = new File([new Uint8Array(MAX_AVATAR_BYTES + 1)], 'huge.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Avatar image'), { target: { files: [huge] } });
    expect(onError).toHaveBeenCalledWith(expect.stringContaining('at most 128 KiB'));
    expect(fake.calls('avatars:setOwn')).toHaveLength(2);
  });
});
