import { describe, expect, it } from 'vitest';

import type { LetGoKind } from '../../contract/request-words.js';
import { ContactBook } from './contact-book.js';

const bob = 'bob@chat.lab.test';
const carol = 'carol@chat.lab.test';

/** What the contact book let go of, by kind. */
let letGo: Partial<Record<LetGoKind, number>>;

function book(): ContactBook {
  letGo = {};
  const contacts = new ContactBook({ add: (kind, _keeps, count = 1) => void (letGo[kind] = (letGo[kind] ?? 0) + count) });
  contacts.setRoster([bob, carol].map((jid) => ({ jid, name: null, subscription: 'both', askPending: false, groups: [] })));
  return contacts;
}

function presenceOf(contacts: ContactBook): Record<string, string> {
  return Object.fromEntries(contacts.view('lab').contacts.map((contact) => [contact.jid, [contact.availability, contact.status].filter(Boolean).join(' · ')]));
}

describe('the contact book across a lost stream', () => {
  it('knows nobody’s presence while the stream is away', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });

    contacts.suspendPresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'offline', [carol]: 'offline' });
  });

  it('carries on with what it knew when the stream is resumed, with what came since', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });
    contacts.presence(`${carol}/phone`, { availability: 'available', status: null });
    contacts.suspendPresence();

    // Stanzas the server kept for the stream may come before the account hears it was resumed.
    contacts.presence(`${carol}/phone`, { availability: 'offline', status: null });
    contacts.resumePresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'away · In a meeting', [carol]: 'offline' });
  });

  it('starts from what a fresh stream says, forgetting what it knew', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: 'In a meeting' });
    contacts.suspendPresence();

    contacts.presence(`${carol}/phone`, { availability: 'dnd', status: null });
    contacts.startedAfresh();
    contacts.resumePresence();

    expect(presenceOf(contacts)).toEqual({ [bob]: 'offline', [carol]: 'dnd' });
  });
});

describe('the contact book under a flood', () => {
  it('keeps the 100 newest of 1,000 subscription requests, and counts the 900 it let go of', () => {
    const contacts = book();
    for (let i = 0; i < 1_000; i++) contacts.subscription(`asker${i}@elsewhere.test`, 'subscribe');

    const { requests } = contacts.view('lab');
    expect(requests).toHaveLength(100);
    expect(requests[0]).toBe('asker900@elsewhere.test');
    expect(requests.at(-1)).toBe('asker999@elsewhere.test');
    expect(letGo).toEqual({ contactRequests: 900 });
  });

  it('keeps no presence of anyone outside the roster: it is never shown', () => {
    const contacts = book();
    for (let i = 0; i < 1_000; i++) expect(contacts.presence(`stranger${i}@elsewhere.test/spam`, { availability: 'available', status: null })).toBe(false);
    expect(contacts.presence(`${bob}/laptop`, { availability: 'away', status: null })).toBe(true);

    expect(presenceOf(contacts)).toEqual({ [bob]: 'away', [carol]: 'offline' });
    expect(letGo).toEqual({});
  });

  it('keeps the 10 devices of a contact heard from last, and counts the others it let go of', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'available', status: null });
    for (let i = 0; i < 1_000; i++) contacts.presence(`${bob}/device${i}`, { availability: 'away', status: 'flooding' });

    expect(presenceOf(contacts)).toEqual({ [bob]: 'away · flooding', [carol]: 'offline' });
    expect(letGo).toEqual({ devices: 991 });

    for (let i = 990; i < 1_000; i++) contacts.presence(`${bob}/device${i}`, { availability: 'offline', status: null });
    expect(presenceOf(contacts)[bob]).toBe('offline');
  });
});

describe('the contact book’s deltas', () => {
  it('tell only the contacts and requests that changed since the last one, at their latest', () => {
    const contacts = book();
    expect(contacts.takeDelta('lab')?.upserted.map(({ jid }) => jid)).toEqual([bob, carol]);
    expect(contacts.takeDelta('lab')).toBeNull();

    contacts.presence(`${bob}/laptop`, { availability: 'away', status: null });
    contacts.presence(`${bob}/laptop`, { availability: 'dnd', status: 'Busy' });
    contacts.subscription('dave@chat.lab.test', 'subscribe');
    expect(contacts.takeDelta('lab')).toEqual({
      communityId: 'lab',
      upserted: [expect.objectContaining({ jid: bob, availability: 'dnd', status: 'Busy' })],
      removed: [],
      requestsAdded: ['dave@chat.lab.test'],
      requestsRemoved: [],
    });

    contacts.answered('dave@chat.lab.test');
    contacts.setRoster([{ jid: bob, name: 'Bob', subscription: 'both', askPending: false, groups: [] }]);
    expect(contacts.takeDelta('lab')).toEqual({
      communityId: 'lab',
      upserted: [expect.objectContaining({ jid: bob, name: 'Bob', availability: 'dnd' })],
      removed: [carol],
      requestsAdded: [],
      requestsRemoved: ['dave@chat.lab.test'],
    });
  });

  it('tell every contact whose presence a lost stream took, and gave back on resume', () => {
    const contacts = book();
    contacts.presence(`${bob}/laptop`, { availability: 'away', status: null });
    contacts.takeDelta('lab');

    contacts.suspendPresence();
    expect(contacts.takeDelta('lab')?.upserted).toEqual([expect.objectContaining({ jid: bob, availability: 'offline' })]);
    contacts.resumePresence();
    expect(contacts.takeDelta('lab')?.upserted).toEqual([expect.objectContaining({ jid: bob, availability: 'away' })]);
  });
});
