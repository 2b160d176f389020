// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GettingStartedDialog } from './GettingStartedDialog.js';

// jsdom has <dialog> but not its modal API; Chromium's own behaviour (Escape, Close) is e2e/smoke.spec.ts's.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
});
afterEach(cleanup);
afterAll(() => {
  delete (HTMLDialogElement.prototype as Partial<HTMLDialogElement>).showModal;
});

describe('Help › Getting started', () => {
  it('tells a newcomer where to add a community, what each connection method means, where to test it, and about the demo', () => {
    render(<GettingStartedDialog onClose={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'Getting started' });
    expect(dialog).toHaveProperty('open', true);
    const text = dialog.textContent ?? '';
    expect(text).toContain('File › Preferences › Server Communities and choose Add community');
    expect(text).toMatch(/Host server .*User name and Password/);
    for (const method of ['Automatic (recommended)', 'Direct connection using TCP/IP', 'Direct connection using HTTP protocol', 'Use my system proxy settings', 'Use proxy']) {
      expect(screen.getByText(method).tagName).toBe('DT');
    }
    expect(text).toContain('Test connection');
    expect(screen.getByText('npm run demo').tagName).toBe('CODE');
    expect(text).toContain('needs Linux and root');
  });

  it('tells its opener when it closes (Close or Escape)', () => {
    const onClose = vi.fn();
    render(<GettingStartedDialog onClose={onClose} />);
    fireEvent(screen.getByRole('dialog', { name: 'Getting started' }), new Event('close'));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
