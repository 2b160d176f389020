import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountState, AccountView, BurrowApi, OccupantView, RoomInvitationView, RoomView } from '../../../electron/contract/contract.js';
import { applyKeyedChanges } from '../../../electron/contract/keyed-changes.js';
import { conversationKey } from './messagingState.js';

export interface Rooms {
  /** Every account's rooms, by conversation key. */
  rooms: Record<string, RoomView>;
  /** The occupants of the rooms opened so far, by conversation key. */
  occupants: Record<string, OccupantView[]>;
  /** Invitations not answered yet, newest last. */
  invitations: RoomInvitationView[];
  /** Loads a room's occupants once; deltas keep them current from then on. */
  loadOccupants: (ref: { communityId: string; peer: string }) => void;
  /** The invitation was answered (joined or dismissed). */
  dismissInvitation: (invitation: RoomInvitationView) => void;
}

const keyOf = ({ communityId, room }: { communityId: string; room: string }) => conversationKey({ communityId, peer: room });

/** The rooms as the chat window sees them: loaded through the contract when an account connects, kept current by its events. */
export function useRooms(api: BurrowApi, accounts: readonly AccountView[]): Rooms {
  const [rooms, setRooms] = useState<Record<string, RoomView>>({});
  const [occupants, setOccupants] = useState<Record<string, OccupantView[]>>({});
  const [invitations, setInvitations] = useState<RoomInvitationView[]>([]);
  const loadedAt = useRef(new Map<string, AccountState>());
  const occupantsLoaded = useRef(new Set<string>());

  useEffect(() => {
    const unsubscribe = [
      api.on('room:changed', (view) =>
        setRooms((current) => {
          const { [keyOf(view)]: _old, ...rest } = current;
          return view.state === 'out' && view.condition === null ? rest : { ...rest, [keyOf(view)]: view };
        }),
      ),
      api.on('room:occupants', (delta) =>
        setOccupants((current) => ({ ...current, [keyOf(delta)]: applyKeyedChanges(current[keyOf(delta)] ?? [], delta, ({ nick }) => nick) })),
      ),
      api.on('room:invitation', (invitation) => setInvitations((current) => [...current.filter((each) => keyOf(each) !== keyOf(invitation)), invitation])),
    ];
    return () => {
      for (const off of unsubscribe) off();
    };
  }, [api]);

  // Each account's rooms: when it first shows up, and again whenever it (re)connects.
  useEffect(() => {
    for (const { communityId, lifecycle } of accounts) {
      const before = loadedAt.current.get(communityId);
      loadedAt.current.set(communityId, lifecycle.state);
      if (before !== undefined && !(lifecycle.state === 'online' && before !== 'online')) continue;
      api.invoke('rooms:get', { communityId }).then(
        (views) => setRooms((current) => ({ ...Object.fromEntries(Object.entries(current).filter(([, view]) => view.communityId !== communityId)), ...Object.fromEntries(views.map((view) => [keyOf(view), view])) })),
        () => undefined,
      );
    }
  }, [api, accounts]);

  const loadOccupants = useCallback(
    ({ communityId, peer }: { communityId: string; peer: string }) => {
      const key = conversationKey({ communityId, peer });
      if (occupantsLoaded.current.has(key)) return;
      occupantsLoaded.current.add(key);
      api.invoke('room:occupants', { communityId, room: peer }).then(
        (list) => setOccupants((current) => ({ ...current, [key]: list })),
        () => occupantsLoaded.current.delete(key),
      );
    },
    [api],
  );

  const dismissInvitation = useCallback((invitation: RoomInvitationView) => setInvitations((current) => current.filter((each) => each !== invitation)), []);

  return { rooms, occupants, invitations, loadOccupants, dismissInvitation };
}
