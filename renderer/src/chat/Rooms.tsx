import { useEffect, useState } from 'react';
import { messagingRequests, type AccountView, type BurrowApi, type ConversationView, type OccupantView, type RoomDirectoryView, type RoomInvitationView, type RoomView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { roomName, roomStateWords } from '../../../electron/contract/room-words.js';
import { TextField } from '../preferences/controls.js';
import { CommunityChoice, defaultCommunity, SidebarForm, useAutoFocus } from './ContactForms.js';
import { Avatar } from './avatars.js';
import { conversationKey, type ConversationRef } from './messagingState.js';

const roomSchema = messagingRequests['room:join'].request.shape.room;
const nickSchema = messagingRequests['room:join'].request.shape.nick;
const nameSchema = messagingRequests['room:create'].request.shape.name;
const problemOf = (schema: { safeParse: (value: string) => { success: boolean } }, value: string, hint: string) => (schema.safeParse(value).success ? undefined : hint);


/** The user name of the community's account: the nickname offered first. */
function defaultNick(accounts: readonly AccountView[], communityId: string): string {
  const jid = accounts.find((account) => account.communityId === communityId)?.jid;
  return jid ? (jid.split('@')[0] ?? '') : '';
}

/** A form's way into a room: `enter` runs once at a time, and a refusal is said in the form. */
function useEntering(enter: () => Promise<RoomView>, onJoined: (ref: ConversationRef) => void, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    enter().then(
      (view) => {
        onJoined({ communityId: view.communityId, peer: view.room });
        onDone();
      },
      (reason: unknown) => {
        setBusy(false);
        setError(errorWords(reason));
      },
    );
  };
  return { busy, error, run };
}

/** The rooms section of the sidebar: each room the user is in, with its unread count. */
export function RoomList({
  rooms,
  conversations,
  selected,
  onOpen,
}: {
  rooms: readonly RoomView[];
  conversations: Readonly<Record<string, ConversationView>>;
  selected: ConversationRef | null;
  onOpen: (ref: ConversationRef) => void;
}) {
  if (rooms.length === 0) return null;
  return (
    <section className="rooms" aria-labelledby="rooms-heading">
      <h2 id="rooms-heading">
        Rooms
      </h2>
      <ul className="room-list" aria-label="Rooms">
        {rooms.map((view) => {
          const ref = { communityId: view.communityId, peer: view.room };
          const unread = conversations[conversationKey(ref)]?.unread ?? 0;
          const current = selected?.communityId === ref.communityId && selected.peer === ref.peer;
          return (
            <li key={conversationKey(ref)} className={`room room-${view.state}`}>
              <button type="button" className="contact-button" aria-current={current ? 'true' : undefined} title={view.room} onClick={() => onOpen(ref)}>
                <span className="avatar" aria-hidden="true">
                  #
                </span>
                <span className="contact-text">
                  <span className="contact-name">{roomName(view.room)}</span> <span className="contact-status">{view.subject ?? roomStateWords(view)}</span>
                </span>
                {unread > 0 && (
                  <span className="unread-badge">
                    {' '}
                    {unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Join a room": an address typed, or one picked from the rooms the server lists. */
export function JoinRoomForm({ api, accounts, initialRoom, onJoined, onDone }: { api: BurrowApi; accounts: readonly AccountView[]; initialRoom?: string; onJoined: (ref: ConversationRef) => void; onDone: () => void }) {
  const [communityId, setCommunityId] = useState(() => defaultCommunity(accounts));
  const [room, setRoom] = useState(initialRoom ?? '');
  const [nick, setNick] = useState(() => defaultNick(accounts, defaultCommunity(accounts)));
  /** The server's room list, for the community it was asked of. */
  const [listing, setListing] = useState<{ communityId: string; directory: RoomDirectoryView | null; error: string | null } | null>(null);
  const directory = listing?.communityId === communityId ? listing.directory : null;
  const directoryError = listing?.communityId === communityId ? listing.error : null;
  const [tried, setTried] = useState(false);
  const { busy, error, run } = useEntering(() => api.invoke('room:join', { communityId, room: room.trim(), nick: nick.trim() }), onJoined, onDone);
  useAutoFocus('join-room-address');

  useEffect(() => {
    let current = true;
    api.invoke('rooms:browse', { communityId }).then(
      (found) => current && setListing({ communityId, directory: found, error: null }),
      (reason: unknown) => current && setListing({ communityId, directory: null, error: `The server’s rooms could not be listed: ${errorWords(reason)}` }),
    );
    return () => {
      current = false;
    };
  }, [api, communityId]);

  const roomProblem = problemOf(roomSchema, room.trim(), 'must look like room@rooms.server');
  const nickProblem = problemOf(nickSchema, nick.trim(), 'is needed, without a slash');
  const submit = () => {
    setTried(true);
    if (!roomProblem && !nickProblem) run();
  };
  return (
    <SidebarForm label="Join a room" error={error} onSubmit={submit} onCancel={onDone} submitLabel="Join" busy={busy}>
      <CommunityChoice id="join-room-community" accounts={accounts} value={communityId} onChange={setCommunityId} />
      <TextField id="join-room-address" label="Room address" value={room} onChange={setRoom} error={tried ? roomProblem : undefined} />
      <TextField id="join-room-nick" label="Nickname" value={nick} onChange={setNick} error={tried ? nickProblem : undefined} />
      <section className="room-directory" aria-label="Rooms on the server">
        {directoryError && <p className="field-error">{directoryError}</p>}
        {!directory && !directoryError && <p className="hint">Looking for the server’s rooms…</p>}
        {directory?.service === null && <p className="hint">This server offers no group chat.</p>}
        {directory && directory.service !== null && directory.rooms.length === 0 && <p className="hint">The server lists no rooms.</p>}
        {directory && directory.rooms.length > 0 && (
          <ul className="room-directory-list">
            {directory.rooms.map((listed) => (
              <li key={listed.jid}>
                <button type="button" className="link-button" aria-pressed={room.trim() === listed.jid} onClick={() => setRoom(listed.jid)}>
                  {listed.name ?? roomName(listed.jid)}
                </button>{' '}
                <span className="hint">{listed.jid}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </SidebarForm>
  );
}

/** "New room": a room made on the server's group chat service and entered. */
export function NewRoomForm({ api, accounts, onJoined, onDone }: { api: BurrowApi; accounts: readonly AccountView[]; onJoined: (ref: ConversationRef) => void; onDone: () => void }) {
  const [communityId, setCommunityId] = useState(() => defaultCommunity(accounts));
  const [name, setName] = useState('');
  const [nick, setNick] = useState(() => defaultNick(accounts, defaultCommunity(accounts)));
  const [tried, setTried] = useState(false);
  const { busy, error, run } = useEntering(() => api.invoke('room:create', { communityId, name: name.trim(), nick: nick.trim() }), onJoined, onDone);
  useAutoFocus('new-room-name');

  const nameProblem = problemOf(nameSchema, name.trim(), 'is needed, without spaces or @ / : < > & \' "');
  const nickProblem = problemOf(nickSchema, nick.trim(), 'is needed, without a slash');
  const submit = () => {
    setTried(true);
    if (!nameProblem && !nickProblem) run();
  };
  return (
    <SidebarForm label="New room" error={error} onSubmit={submit} onCancel={onDone} submitLabel="Create room" busy={busy}>
      <CommunityChoice id="new-room-community" accounts={accounts} value={communityId} onChange={setCommunityId} />
      <TextField id="new-room-name" label="Room name" value={name} onChange={setName} error={tried ? nameProblem : undefined} />
      <TextField id="new-room-nick" label="Nickname" value={nick} onChange={setNick} error={tried ? nickProblem : undefined} />
    </SidebarForm>
  );
}

/** Invitations to rooms, each with Join and Dismiss. */
export function RoomInvitations({ invitations, onJoin, onDismiss }: { invitations: readonly RoomInvitationView[]; onJoin: (invitation: RoomInvitationView) => void; onDismiss: (invitation: RoomInvitationView) => void }) {
  if (invitations.length === 0) return null;
  return (
    <section className="room-invitations" aria-label="Room invitations">
      {invitations.map((invitation) => (
        <p key={`${invitation.communityId} ${invitation.room}`} className="banner">
          <span>
            {invitation.from ?? 'Someone'} invites you to {roomName(invitation.room)}
            {invitation.reason ? `: “${invitation.reason}”` : ''}
          </span>{' '}
          <button type="button" onClick={() => onJoin(invitation)}>
            Join {roomName(invitation.room)}
          </button>{' '}
          <button type="button" onClick={() => onDismiss(invitation)}>
            Dismiss
          </button>
        </p>
      ))}
    </section>
  );
}

/** Beside a room's conversation: its occupants (each one's name opens a private chat with them), an invitation to send, and leaving. */
export function RoomPanel({
  api,
  view,
  occupants,
  onLeft,
  onMessagePrivately,
}: {
  api: BurrowApi;
  view: RoomView;
  occupants: readonly OccupantView[];
  onLeft: () => void;
  /** Opens the private chat with an occupant, by their address in the room (`room@service/nick`). */
  onMessagePrivately: (occupant: string) => void;
}) {
  const [invitee, setInvitee] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const { communityId, room } = view;
  const invite = () => {
    const jid = invitee.trim();
    if (!messagingRequests['room:invite'].request.shape.jid.safeParse(jid).success) return setOutcome({ ok: false, text: 'An address looks like name@server.' });
    api.invoke('room:invite', { communityId, room, jid }).then(
      () => {
        setInvitee('');
        setOutcome({ ok: true, text: `Invited ${jid}.` });
      },
      (reason: unknown) => setOutcome({ ok: false, text: `Not invited: ${errorWords(reason)}` }),
    );
  };
  const sorted = [...occupants].sort((a, b) => a.nick.localeCompare(b.nick));
  return (
    <aside className="room-panel" aria-label="Room">
      <p className="room-state">{roomStateWords(view)}</p>
      <h2 id="occupants-heading">Occupants ({sorted.length})</h2>
      <ul className="occupant-list" aria-labelledby="occupants-heading">
        {sorted.map((occupant) => (
          <li key={occupant.nick} className={`occupant presence-${occupant.availability}`}>
            <Avatar communityId={view.communityId} jid={occupant.jid?.split('/')[0] ?? null} name={occupant.nick} />
            {occupant.nick === view.nick ? (
              `${occupant.nick} (you)`
            ) : (
              <button type="button" className="link-button" aria-label={`Message ${occupant.nick} privately`} onClick={() => onMessagePrivately(`${room}/${occupant.nick}`)}>
                {occupant.nick}
              </button>
            )}
            {occupant.role === 'moderator' ? <span className="hint"> · moderator</span> : null}
          </li>
        ))}
      </ul>
      <form
        className="room-invite"
        aria-label="Invite to this room"
        onSubmit={(event) => {
          event.preventDefault();
          invite();
        }}
      >
        <TextField id="room-invite-address" label="Invite (address)" value={invitee} onChange={setInvitee} />
        <button type="submit" disabled={invitee.trim() === ''}>
          Invite
        </button>
        {outcome && (
          <p className={outcome.ok ? 'hint' : 'field-error'} role="status">
            {outcome.text}
          </p>
        )}
      </form>
      <button type="button" onClick={() => api.invoke('room:leave', { communityId, room }).then(onLeft, () => undefined)}>
        Leave room
      </button>
    </aside>
  );
}
