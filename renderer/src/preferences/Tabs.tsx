import type { KeyboardEvent, ReactNode } from 'react';
import { movedIndex } from './rovingFocus.js';

export interface TabsProps<T extends string> {
  /** Prefixes the ids of the tabs and their panels. */
  idPrefix: string;
  label: string;
  tabs: Record<T, string>;
  selected: T;
  onSelect: (tab: T) => void;
  orientation?: 'horizontal' | 'vertical';
  className?: string;
}

const tabId = (idPrefix: string, tab: string) => `${idPrefix}-tab-${tab}`;
const panelId = (idPrefix: string, tab: string) => `${idPrefix}-panel-${tab}`;

/** A tab list: one tab stop, arrow keys move between tabs and select them. */
export function TabList<T extends string>({ idPrefix, label, tabs, selected, onSelect, orientation = 'horizontal', className }: TabsProps<T>) {
  const names = Object.keys(tabs) as T[];
  const onKeyDown = (event: KeyboardEvent) => {
    const next = movedIndex(event, names.indexOf(selected), names.length, orientation);
    const tab = next === null ? undefined : names[next];
    if (tab === undefined) return;
    event.preventDefault();
    onSelect(tab);
    document.getElementById(tabId(idPrefix, tab))?.focus();
  };
  return (
    <div role="tablist" aria-label={label} aria-orientation={orientation} className={className} onKeyDown={onKeyDown}>
      {names.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          id={tabId(idPrefix, tab)}
          aria-selected={tab === selected}
          aria-controls={panelId(idPrefix, tab)}
          tabIndex={tab === selected ? 0 : -1}
          onClick={() => onSelect(tab)}
        >
          {tabs[tab]}
        </button>
      ))}
    </div>
  );
}

/** The panel of the selected tab (only that one is rendered, so no two panels offer the same labels). */
export function TabPanel({ idPrefix, tab, className, children }: { idPrefix: string; tab: string; className?: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={panelId(idPrefix, tab)} aria-labelledby={tabId(idPrefix, tab)} className={className}>
      {children}
    </div>
  );
}
