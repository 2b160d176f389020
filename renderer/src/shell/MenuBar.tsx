import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { applicationMenu, formatAccelerator, matchesAccelerator, type MenuCommand, type MenuCommandItem } from '../../../electron/contract/menu.js';
import { isMac } from './platform.js';

const commandItems = applicationMenu.flatMap((menu) => menu.items.filter((item): item is MenuCommandItem => item !== 'separator'));

/** Browser mode's drawing of the application menu Electron shows natively, with its shortcuts. */
export function MenuBar({ onCommand }: { onCommand: (command: MenuCommand) => void }) {
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  const barRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const item = commandItems.find((candidate) => candidate.accelerator && matchesAccelerator(candidate.accelerator, event, isMac));
      if (!item) return;
      event.preventDefault();
      onCommand(item.command);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onCommand]);

  useEffect(() => {
    if (openIndex === null) return;
    const closeOnOutsideClick = (event: MouseEvent) => {
      if (!barRef.current?.contains(event.target as Node)) setOpenIndex(null);
    };
    document.addEventListener('mousedown', closeOnOutsideClick);
    barRef.current?.querySelector<HTMLElement>(`[data-menu="${openIndex}"] [role="menu"] [role="menuitem"]`)?.focus();
    return () => document.removeEventListener('mousedown', closeOnOutsideClick);
  }, [openIndex]);

  const focusTopLevel = (index: number) => {
    const count = applicationMenu.length;
    barRef.current?.querySelector<HTMLElement>(`[data-menu="${(index + count) % count}"] > [role="menuitem"]`)?.focus();
  };

  const onMenuKeyDown = (index: number, event: KeyboardEvent) => {
    const items = [...(event.currentTarget.querySelectorAll<HTMLElement>('[role="menu"] [role="menuitem"]') ?? [])];
    const current = items.indexOf(document.activeElement as HTMLElement);
    const move = (delta: number) => items[(current + delta + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        if (openIndex === index) move(1);
        else setOpenIndex(index);
        break;
      case 'ArrowUp':
        if (openIndex === index) move(-1);
        break;
      case 'ArrowRight':
      case 'ArrowLeft': {
        const next = index + (event.key === 'ArrowRight' ? 1 : -1);
        if (openIndex !== null) setOpenIndex((next + applicationMenu.length) % applicationMenu.length);
        else focusTopLevel(next);
        break;
      }
      case 'Escape':
        setOpenIndex(null);
        focusTopLevel(index);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const run = (command: MenuCommand) => {
    setOpenIndex(null);
    onCommand(command);
  };

  return (
    <div className="menubar" role="menubar" aria-label="Application menu" ref={barRef}>
      {applicationMenu.map((menu, index) => (
        <div className="menubar-entry" key={menu.label} data-menu={index} onKeyDown={(event) => onMenuKeyDown(index, event)}>
          <button
            type="button"
            role="menuitem"
            aria-haspopup="menu"
            aria-expanded={openIndex === index}
            tabIndex={index === 0 ? 0 : -1}
            onClick={() => setOpenIndex(openIndex === index ? null : index)}
            onMouseEnter={() => openIndex !== null && setOpenIndex(index)}
          >
            {menu.label}
          </button>
          {openIndex === index && (
            <div className="menu" role="menu" aria-label={menu.label}>
              {menu.items.map((item, itemIndex) =>
                item === 'separator' ? (
                  <div key={`separator-${itemIndex}`} role="separator" className="menu-separator" />
                ) : (
                  <button
                    type="button"
                    role="menuitem"
                    key={item.command}
                    tabIndex={-1}
                    aria-keyshortcuts={item.accelerator?.replace('CmdOrCtrl', isMac ? 'Meta' : 'Control')}
                    onClick={() => run(item.command)}
                  >
                    <span>{item.label}</span>
                    {item.accelerator && (
                      <kbd aria-hidden="true">{formatAccelerator(item.accelerator, isMac)}</kbd>
                    )}
                  </button>
                ),
              )}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
