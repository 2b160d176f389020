import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { AccountView, BurrowApi, ChatState, MessageView, OwnPresence as OwnPresenceValue } from '../../../electron/contract/contract.js';
import { formatAccelerator } from '../../../electron/contract/menu.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { isMac } from '../shell/platform.js';
import type { ChatCommandSource } from '../shell/commands.js';
import { Avatar, ChooseAvatar } from './avatars.js';
import { AddContactForm, NewChatForm } from './ContactForms.js';
import { ContactRequests } from './ContactRequests.js';
import { Conversation } from './Conversation.js';
import { MessageRequests } from './MessageRequests.js';
import { conversationKey, type ConversationRef, type MessagingState } from './messagingState.js';
import { OwnPresence } from './OwnPresence.js';
import { contactName, contactPresenceText } from './presence.js';
import { Roster, rosterSections } from './Roster.js';
import { roomName } from '../../../electron/contract/room-words.js';
import { JoinRoomForm, NewRoomForm, RoomInvitations, RoomList, RoomPanel } from './Rooms.js';
import { useRooms, type Rooms } from './useRooms.js';
import { MessageSearch } from '../search/MessageSearch.js';
import { StatusBanner } from './StatusBanner.js';
import type { Messaging } from './useMessaging.js';
import { usePageNotifications } from './usePageNotifications.js';
import { useFileSharing } from './useFileSharing.js';
import { useSinglePane } from './useSinglePane.js';
import { useWindowFocus } from './useWindowFocus.js';

type Panel = 'none' | 'add-contact' | 'new-chat' | 'join-room' | 'new-room';


function findContact(state: MessagingState, { communityId, peer }: ConversationRef) {
  return state.rosters[communityId]?.contacts.find(({ jid }) => jid === peer);
}

/** What the composer says when messages cannot go out right now. */
function sendingNotice(account: AccountView | undefined): string | null {
  if (!account || account.lifecycle.state === 'online') return null;
  if (account.lifecycle.state === 'not-configured') return `${account.displayName} is not set up: add your user name and password in Preferences to send messages.`;
  return `Not connected to ${account.displayName}: messages wait here and go out when Burrow reconnects.`;
}

export interface MessengerProps {
  api: BurrowApi;
  messaging: Messaging;
  commands: ChatCommandSource;
  pageNotifications: boolean;
}

/** The sidebar (connection, own presence, contacts) and the conversation. */
export function Messenger({ api, messaging, commands, pageNotifications }: MessengerProps) {
  const { state, apply, loadHistory, openAt, loadOlder, loadNewer } = messaging;
  const [selected, setSelected] = useState<ConversationRef | null>(null);
  /** A message opened from the search, in its conversation. */
  const [found, setFound] = useState<{ key: string; id: string } | null>(null);
  const [search, setSearch] = useState('');
  const [panel, setPanel] = useState<{ kind: Panel; serial: number; room?: string }>({ kind: 'none', serial: 0 });
  const rooms = useRooms(api, state.accounts);
  // A room's conversation is listed under Rooms, not among the people who wrote.
  const peopleConversations = Object.fromEntries(Object.entries(state.conversations).filter(([key]) => rooms.rooms[key] === undefined));
  const [actionError, setActionError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const focused = useWindowFocus();
  const singlePane = useSinglePane();
  /** In a single pane: the contacts are shown instead of the open conversation. */
  const [contactsShown, setContactsShown] = useState(false);
  const conversationShown = selected !== null && !(singlePane && contactsShown);

  const open = useCallback(
    (ref: ConversationRef) => {
      setSelected(ref);
      setFound(null);
      setContactsShown(false);
      loadHistory(ref);
    },
    [loadHistory],
  );
  const openMessage = (ref: ConversationRef, id: string) => {
    setSelected(ref);
    setFound({ key: conversationKey(ref), id });
    setContactsShown(false);
    openAt(ref, id);
  };
  const focusSearch = useCallback(() => {
    // At once, so that a search field hidden with the contacts can take focus.
    flushSync(() => setContactsShown(true));
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);
  const showPanel = (kind: Panel, room?: string) => setPanel((current) => ({ kind, serial: current.serial + 1, ...(room === undefined ? {} : { room }) }));
  const fail = (what: string) => (reason: unknown) => setActionError(`${what}: ${errorWords(reason)}`);

  useEffect(
    () =>
      commands.subscribe((command) => {
        if (command === 'new-chat') {
          setContactsShown(true);
          setPanel((current) => ({ kind: 'new-chat', serial: current.serial + 1 }));
        } else {
          focusSearch();
        }
      }),
    [commands, focusSearch],
  );

  // Read means shown while the user is looking at the window.
  const unreadShown = selected ? (state.conversations[conversationKey(selected)]?.unread ?? 0) : 0;
  useEffect(() => {
    if (selected && conversationShown && focused && unreadShown > 0) api.invoke('chat:markRead', selected).catch(() => undefined);
  }, [api, selected, conversationShown, focused, unreadShown]);

  const { unread } = state;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Burrow` : 'Burrow';
  }, [unread]);

  const notifications = usePageNotifications(api, pageNotifications, (ref) => contactName(findContact(state, ref), ref.peer), open);

  const configured = state.accounts.filter((account) => account.lifecycle.state !== 'not-configured');
  const ownPresence: OwnPresenceValue = configured[0]?.presence ?? { availability: 'offline', status: '' };
  const setPresence = (presence: OwnPresenceValue) => {
    setActionError(null);
    for (const { communityId } of configured) api.invoke('presence:set', { communityId, presence }).catch(fail('Status not changed'));
  };

  const openFirstMatch = () => {
    const first = rosterSections(state.accounts, state.rosters, peopleConversations, search)[0]?.groups[0]?.entries[0];
    if (first) open({ communityId: first.communityId, peer: first.jid });
  };

  const suggestions = [...new Set(Object.values(state.rosters).flatMap(({ contacts }) => contacts.map(({ jid }) => jid)))];
  const shortcut = (key: string) => formatAccelerator(`CmdOrCtrl+${key}`, isMac);

  return (
    <main className={`chat-window chat-layout${singlePane ? ` single-pane showing-${conversationShown ? 'conversation' : 'contacts'}` : ''}`}>
      <aside className="sidebar" aria-label="Contacts and status">
        <div className="status-banners">
          {state.accounts.map((account) => (
            <StatusBanner key={account.communityId} account={account} api={api} />
          ))}
        </div>
        {messaging.error && (
          <p className="banner banner-error" role="alert">
            {messaging.error}
          </p>
        )}

        <div className="own-identity">
          <Avatar communityId={configured[0]?.communityId ?? ''} jid={configured[0]?.jid ?? null} name={configured[0]?.jid ?? configured[0]?.displayName ?? '?'} />
          <ChooseAvatar api={api} communityIds={configured.map(({ communityId }) => communityId)} onError={setActionError} />
        </div>
        <OwnPresence presence={ownPresence} disabled={configured.length === 0} onChange={setPresence} />

        <div className="sidebar-tools">
          <input
            ref={searchRef}
            type="search"
            className="contact-search"
            aria-label="Search contacts and messages"
            aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
            placeholder={`Search contacts and messages (${shortcut('K')})`}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                openFirstMatch();
              } else if (event.key === 'Escape') {
                setSearch('');
              }
            }}
          />
          <div className="sidebar-buttons">
            {panel.kind !== 'new-chat' && (
              <button type="button" aria-keyshortcuts={isMac ? 'Meta+N' : 'Control+N'} onClick={() => showPanel('new-chat')}>
                New chat
              </button>
            )}
            {panel.kind !== 'add-contact' && (
              <button type="button" onClick={() => showPanel('add-contact')}>
                Add contact
              </button>
            )}
            {panel.kind !== 'join-room' && (
              <button type="button" onClick={() => showPanel('join-room')}>
                Join a room
              </button>
            )}
            {panel.kind !== 'new-room' && (
              <button type="button" onClick={() => showPanel('new-room')}>
                New room
              </button>
            )}
          </div>
        </div>

        <MessageSearch api={api} query={search} nameOf={(ref) => contactName(findContact(state, ref), ref.peer)} onOpen={openMessage} />

        {panel.kind === 'new-chat' && (
          <NewChatForm key={panel.serial} accounts={state.accounts} suggestions={suggestions} onStart={open} onDone={() => showPanel('none')} />
        )}
        {panel.kind === 'add-contact' && (
          <AddContactForm key={panel.serial} accounts={state.accounts} onAdd={(request) => api.invoke('roster:add', request)} onDone={() => showPanel('none')} />
        )}
        {panel.kind === 'join-room' && (
          <JoinRoomForm key={panel.serial} api={api} accounts={state.accounts} {...(panel.room ? { initialRoom: panel.room } : {})} onJoined={open} onDone={() => showPanel('none')} />
        )}
        {panel.kind === 'new-room' && <NewRoomForm key={panel.serial} api={api} accounts={state.accounts} onJoined={open} onDone={() => showPanel('none')} />}
        {actionError && (
          <p className="banner banner-error sidebar-error" role="alert">
            <span>{actionError}</span>
            <button type="button" onClick={() => setActionError(null)}>
              Dismiss
            </button>
          </p>
        )}

        <ContactRequests
          accounts={state.accounts}
          rosters={state.rosters}
          onAnswer={(communityId, jid, accept) => api.invoke('subscription:answer', { communityId, jid, accept }).catch(fail('Not answered'))}
        />
        <MessageRequests
          api={api}
          accounts={state.accounts}
          messageRequests={state.messageRequests}
          onAnswer={(ref, accept) =>
            api
              .invoke('messageRequests:answer', { ...ref, accept })
              .then(() => accept && open(ref))
              .catch(fail('Not answered'))
          }
        />
        <RoomInvitations
          invitations={rooms.invitations}
          onJoin={(invitation) => {
            rooms.dismissInvitation(invitation);
            showPanel('join-room', invitation.room);
          }}
          onDismiss={rooms.dismissInvitation}
        />
        <RoomList rooms={Object.values(rooms.rooms)} conversations={state.conversations} selected={selected} onOpen={open} />
        <Roster accounts={state.accounts} rosters={state.rosters} conversations={peopleConversations} search={search} selected={selected} onOpen={open} />

        {notifications.permission === 'default' && (
          <p className="sidebar-footer">
            <button type="button" className="link-button" onClick={notifications.requestPermission}>
              Turn on desktop notifications
            </button>
          </p>
        )}
      </aside>

      <div className="chat-main">
        {selected ? (
          <SelectedConversation
            key={conversationKey(selected)}
            api={api}
            selected={selected}
            state={state}
            rooms={rooms}
            onLeft={() => setSelected(null)}
            onOpen={open}
            focusId={found?.key === conversationKey(selected) ? found.id : undefined}
            onReachTop={() => loadOlder(selected)}
            onReachBottom={() => loadNewer(selected)}
            onSent={(message) => {
              apply({ type: 'sent', message });
              // Sent while a search result's context was shown: the conversation goes to its newest messages, this one among them.
              if (state.historyEdges[conversationKey(selected)]?.newerCursor) {
                setFound(null);
                loadHistory(selected);
              }
            }}
            onChanged={(message) => apply({ type: 'message', message })}
            onError={setActionError}
            navigation={
              singlePane && (
                <button type="button" className="show-contacts" onClick={focusSearch}>
                  <span aria-hidden="true">‹</span> Contacts
                  {unread > 0 && <span className="unread-badge">{unread}<span className="visually-hidden"> unread</span></span>}
                </button>
              )
            }
          />
        ) : (
          <section className="conversation-empty" aria-label="No conversation open">
            <h1>Pick someone to chat with</h1>
            <p>
              Choose a contact on the left, start a new chat with <kbd>{shortcut('N')}</kbd>, or find a contact with <kbd>{shortcut('K')}</kbd>.
            </p>
          </section>
        )}
      </div>
    </main>
  );
}

function SelectedConversation({
  api,
  selected,
  state,
  rooms,
  onLeft,
  onOpen,
  focusId,
  onReachTop,
  onReachBottom,
  onSent,
  onChanged,
  onError,
  navigation,
}: {
  api: BurrowApi;
  selected: ConversationRef;
  state: MessagingState;
  rooms: Rooms;
  onLeft: () => void;
  onOpen: (ref: ConversationRef) => void;
  focusId: string | undefined;
  onReachTop: () => void;
  onReachBottom: () => void;
  onSent: (message: MessageView) => void;
  /** A message shown changed (corrected here). */
  onChanged: (message: MessageView) => void;
  onError: (message: string) => void;
  navigation: ReactNode;
}) {
  const key = conversationKey(selected);
  const contact = findContact(state, selected);
  const account = state.accounts.find(({ communityId }) => communityId === selected.communityId);
  const { communityId, peer } = selected;
  const files = useFileSharing(api, { communityId, peer, online: account?.lifecycle.state === 'online' }, onSent, onError);
  const room = rooms.rooms[key];
  const { loadOccupants } = rooms;
  useEffect(() => {
    if (room) loadOccupants(selected);
  }, [room, loadOccupants, selected]);
  return (
    <Conversation
      files={files}
      navigation={navigation}
      title={room ? roomName(peer) : contactName(contact, peer)}
      avatar={<Avatar communityId={communityId} jid={room ? null : peer} name={room ? roomName(peer) : contactName(contact, peer)} />}
      peer={peer}
      subtitle={room ? room.subject : contact ? contactPresenceText(contact) : null}
      {...(room ? { aside: <RoomPanel api={api} view={room} occupants={rooms.occupants[key] ?? []} onLeft={onLeft} onMessagePrivately={(occupant) => onOpen({ communityId, peer: occupant })} /> } : {})}
      messages={state.histories[key] ?? []}
      loading={state.loadingHistories[key] === true}
      {...(focusId === undefined ? {} : { focusId })}
      onReachTop={onReachTop}
      onReachBottom={onReachBottom}
      peerState={state.peerStates[key]}
      notice={sendingNotice(account)}
      onSend={(body) => api.invoke('chat:send', { communityId, peer, body }).then(onSent)}
      onCorrect={room ? undefined : (id, body) => api.invoke('chat:correct', { communityId, peer, id, body }).then(onChanged)}
      onRetry={(id) => api.invoke('chat:retry', { communityId, peer, id }).catch((reason: unknown) => onError(`Not sent again: ${errorWords(reason)}`))}
      onChatState={(chatState: ChatState) => {
        if (account?.lifecycle.state === 'online') api.invoke('chat:setState', { communityId, peer, state: chatState }).catch(() => undefined);
      }}
      onOpenLink={(url) => api.invoke('window:openExternal', { url }).catch((reason: unknown) => onError(`Could not open the link: ${errorWords(reason)}`))}
    />
  );
}
