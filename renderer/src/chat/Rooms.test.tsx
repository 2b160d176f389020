// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { RoomView } from '../../../electron/contract/contract.js';
import { JoinRoomForm, NewRoomForm, RoomPanel } from './Rooms.js';
import { account, fakeApi } from './testing.js';

const room = 'team@rooms.lab.test';
const joined: RoomView = { communityId: 'lab', room, nick: 'alice', state: 'joined', condition: null, subject: 'Plans' };

describe('JoinRoomForm', () => {
  it('offers the rooms the server lists, and enters the one picked under the nickname given', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ 'rooms:browse': () => ({ service: 'rooms.lab.test', rooms: [{ jid: room, name: 'Team' }] }), 'room:join': () => joined });
    const onJoined = vi.fn();
    render(<JoinRoomForm api={fake.api} accounts={[account()]} onJoined={onJoined} onDone={() => {}} />);

    const form = screen.getByRole('form', { name: 'Join a room' });
    await user.click(await within(screen.getByRole('region', { name: 'Rooms on the server' })).findByRole('button', { name: 'Team' }));
    expect(within(form).getByLabelText('Room address')).toHaveProperty('value', room);
    await user.clear(within(form).getByLabelText('Nickname'));
    await user.type(within(form).getByLabelText('Nickname'), 'Ali');
    await user.click(within(form).getByRole('button', { name: 'Join' }));

    expect(fake.calls('room:join')).toEqual([{ communityId: 'lab', room, nick: 'Ali' }]);
    expect(onJoined).toHaveBeenCalledWith({ communityId: 'lab', peer: room });
  });

  it('says why the room refused, and stays open', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ 'rooms:browse': () => ({ service: null, rooms: [] }), 'room:join': () => Promise.reject(new Error('You could not enter team@rooms.lab.test: the nickname “alice” is taken there: choose another.')) });
    render(<JoinRoomForm api={fake.api} accounts={[account()]} onJoined={() => {}} onDone={() => {}} />);

    expect(await screen.findByText('This server offers no group chat.')).toBeTruthy();
    await user.type(screen.getByLabelText('Room address'), room);
    await user.click(screen.getByRole('button', { name: 'Join' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/nickname “alice” is taken/);
  });
});

describe('NewRoomForm', () => {
  it('refuses a name a room address cannot have, then makes the room', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ 'room:create': () => joined });
    render(<NewRoomForm api={fake.api} accounts={[account()]} onJoined={() => {}} onDone={() => {}} />);

    await user.type(screen.getByLabelText('Room name'), 'our team');
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(fake.calls('room:create')).toEqual([]);
    await user.clear(screen.getByLabelText('Room name'));
    await user.type(screen.getByLabelText('Room name'), 'team');
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(fake.calls('room:create')).toEqual([expect.objectContaining({ communityId: 'lab', name: 'team' })]);
  });
});

describe('RoomPanel', () => {
  it('lists the occupants, opens a private chat with another, invites someone and leaves the room', async () => {
    const user = userEvent.setup();
    const fake = fakeApi();
    const onLeft = vi.fn();
    const onMessagePrivately = vi.fn();
    const occupants = [
      { nick: 'bob', role: 'participant', affiliation: 'member', jid: null, availability: 'away' },
      { nick: 'alice', role: 'moderator', affiliation: 'owner', jid: null, availability: 'available' },
    ] as const;
    render(<RoomPanel api={fake.api} view={joined} occupants={occupants} onLeft={onLeft} onMessagePrivately={onMessagePrivately} />);

    expect(within(screen.getByRole('list', { name: 'Occupants (2)' })).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['alice (you) · moderator', 'bob']);
    expect(screen.queryByRole('button', { name: 'Message alice privately' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Message bob privately' }));
    expect(onMessagePrivately).toHaveBeenCalledWith(`${room}/bob`);
    await user.type(screen.getByLabelText('Invite (address)'), 'carol@lab.test');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(fake.calls('room:invite')).toEqual([{ communityId: 'lab', room, jid: 'carol@lab.test' }]);
    expect(await screen.findByText('Invited carol@lab.test.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    expect(fake.calls('room:leave')).toEqual([{ communityId: 'lab', room }]);
    expect(onLeft).toHaveBeenCalled();
  });
});
