// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationView, RosterView } from '../../../electron/contract/contract.js';
import { ContactRequests } from './ContactRequests.js';
import { Roster, type RosterProps } from './Roster.js';
import { account, contact, layOutVirtualListsInEachTest } from './testing.js';

layOutVirtualListsInEachTest();

const roster: RosterView = {
  communityId: 'lab',
  contacts: [
    contact('bob@lab.test', { name: 'Bob', groups: ['Friends'], status: 'In a meeting', availability: 'away' }),
    contact('carol@lab.test', { name: 'Carol', groups: ['Friends', 'Work'], availability: 'offline' }),
    contact('dave@lab.test', { name: 'Dave', groups: ['Work'] }),
    contact('erin@lab.test', { groups: [] }),
    contact('frank@lab.test', { name: 'Frank', subscription: 'none', askPending: true, availability: 'offline' }),
  ],
  requests: [],
};

const conversations: Record<string, ConversationView> = {
  'lab bob@lab.test': { communityId: 'lab', peer: 'bob@lab.test', unread: 3, last: null },
  'lab stranger@elsewhere.test': { communityId: 'lab', peer: 'stranger@elsewhere.test', unread: 1, last: null },
};

function renderRoster(props: Partial<RosterProps> = {}) {
  const onOpen = vi.fn();
  const result = render(
    <Roster accounts={[account()]} rosters={{ lab: roster }} conversations={conversations} search="" selected={null} onOpen={onOpen} {...props} />,
  );
  return { ...result, onOpen };
}

/** The list's content as the user reads it: group headings and contact names, in order. */
function outline(): string[] {
  const list = screen.getByRole('list', { name: 'Contacts' });
  return Array.from(list.children).map((item) => (item.querySelector('h3') ? `# ${item.textContent}` : (item.querySelector('.contact-name')?.textContent ?? '')));
}

describe('Roster', () => {
  it('groups contacts: named groups alphabetically, then the ungrouped, then people not in the roster; online first', () => {
    renderRoster();
    expect(outline()).toEqual(['# Friends', 'Bob', 'Carol', '# Work', 'Dave', 'Carol', '# General', 'erin@lab.test', 'Frank', '# Not in your contacts', 'stranger@elsewhere.test']);
    expect(screen.getByRole('heading', { name: 'Friends' })).toBeTruthy();
  });

  it('shows presence, status text and unread counts', () => {
    renderRoster();
    const bob = screen.getByRole('button', { name: /^Bob/ });
    expect(bob.textContent).toContain('Away · In a meeting');
    expect(bob.textContent).toContain('3 unread');
    expect(within(screen.getByRole('list', { name: 'Contacts' })).getAllByRole('listitem').find((item) => item.textContent?.includes('Frank'))?.textContent).toContain(
      'Waiting for them to accept',
    );
    expect(screen.getByRole('button', { name: /stranger@elsewhere.test/ }).textContent).toContain('1 unread');
    expect(screen.getByRole('button', { name: /^Dave/ }).textContent).not.toContain('unread');
  });

  it('filters by name, address or status text as the user searches', () => {
    const { rerender, onOpen } = renderRoster({ search: 'meeting' });
    expect(outline()).toEqual(['# Friends', 'Bob']);

    rerender(<Roster accounts={[account()]} rosters={{ lab: roster }} conversations={conversations} search="DAVE@" selected={null} onOpen={onOpen} />);
    expect(outline()).toEqual(['# Work', 'Dave']);

    rerender(<Roster accounts={[account()]} rosters={{ lab: roster }} conversations={conversations} search="zzz" selected={null} onOpen={onOpen} />);
    expect(outline()).toEqual([]);
    expect(screen.getByText('No contacts match “zzz”.')).toBeTruthy();
  });

  it('lists a private chat through a room by the occupant’s nickname and the room, and opens it with the occupant’s address', () => {
    const withOccupant = { 'lab team@rooms.lab.test/carol': { communityId: 'lab', peer: 'team@rooms.lab.test/carol', unread: 1, last: null } };
    const { onOpen } = renderRoster({ conversations: withOccupant });
    expect(outline().slice(-2)).toEqual(['# Not in your contacts', 'carol (in team)']);
    fireEvent.click(screen.getByRole('button', { name: /^carol \(in team\)/ }));
    expect(onOpen).toHaveBeenCalledWith({ communityId: 'lab', peer: 'team@rooms.lab.test/carol' });
  });

  it('opens a conversation on click and marks the open one as current', () => {
    const { onOpen, rerender } = renderRoster();
    fireEvent.click(screen.getByRole('button', { name: /^Dave/ }));
    expect(onOpen).toHaveBeenCalledWith({ communityId: 'lab', peer: 'dave@lab.test' });

    rerender(<Roster accounts={[account()]} rosters={{ lab: roster }} conversations={conversations} search="" selected={{ communityId: 'lab', peer: 'dave@lab.test' }} onOpen={onOpen} />);
    expect(screen.getByRole('button', { name: /^Dave/ }).getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: /^Bob/ }).getAttribute('aria-current')).toBeNull();
  });

  it('names each community when there are several', () => {
    const work: RosterView = { communityId: 'work', contacts: [contact('zoe@work.test', { name: 'Zoe' })], requests: [] };
    render(
      <Roster
        accounts={[account(), account({ communityId: 'work', displayName: 'Work place' })]}
        rosters={{ lab: { ...roster, contacts: roster.contacts.slice(0, 1) }, work }}
        conversations={{}}
        search=""
        selected={null}
        onOpen={vi.fn()}
      />,
    );
    expect(screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent)).toEqual(['Lab', 'Work place']);
  });

  it('puts only the rows in view in the page for 2,000 contacts, and the others as the list scrolls', () => {
    const many: RosterView = {
      communityId: 'lab',
      contacts: Array.from({ length: 2_000 }, (_, n) => contact(`person${String(n).padStart(4, '0')}@lab.test`, { name: `Person ${String(n).padStart(4, '0')}` })),
      requests: [],
    };
    render(<Roster accounts={[account()]} rosters={{ lab: many }} conversations={{}} search="" selected={null} onOpen={vi.fn()} />);
    const list = screen.getByRole('list', { name: 'Contacts' });
    const shown = within(list).getAllByRole('listitem');
    // 600 px of 40 px rows, and a few either side.
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(40);
    expect(screen.getByRole('button', { name: /^Person 0000/ })).toBeTruthy();
    expect(shown[0]?.getAttribute('aria-setsize')).toBe('2000');
    expect(screen.queryByRole('button', { name: /^Person 1999/ })).toBeNull();

    const scroller = list.parentElement!;
    scroller.scrollTop = parseFloat(list.style.height);
    fireEvent.scroll(scroller);
    expect(screen.getByRole('button', { name: /^Person 1999/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Person 0000/ })).toBeNull();
  });

  it('says how to add the first contact', () => {
    render(<Roster accounts={[account()]} rosters={{ lab: { communityId: 'lab', contacts: [], requests: [] } }} conversations={{}} search="" selected={null} onOpen={vi.fn()} />);
    expect(screen.getByText('No contacts yet. Add one with “Add contact”.')).toBeTruthy();
  });
});

describe('ContactRequests', () => {
  it('lets the user accept or deny a request to see their presence', () => {
    const onAnswer = vi.fn();
    render(<ContactRequests accounts={[account()]} rosters={{ lab: { ...roster, requests: ['gina@lab.test'] } }} onAnswer={onAnswer} />);
    const request = within(screen.getByRole('list', { name: 'Contact requests' })).getByRole('listitem');
    expect(request.textContent).toContain('gina@lab.test wants to see your status');
    fireEvent.click(within(request).getByRole('button', { name: 'Accept gina@lab.test' }));
    expect(onAnswer).toHaveBeenLastCalledWith('lab', 'gina@lab.test', true);
    fireEvent.click(within(request).getByRole('button', { name: 'Deny gina@lab.test' }));
    expect(onAnswer).toHaveBeenLastCalledWith('lab', 'gina@lab.test', false);
  });

  it('shows nothing when nobody is asking', () => {
    const { container } = render(<ContactRequests accounts={[account()]} rosters={{ lab: roster }} onAnswer={vi.fn()} />);
    expect(container.textContent).toBe('');
  });
});
