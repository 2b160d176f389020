import { burrow } from '../api/burrow.js';

/** File › Preferences: a window of its own. */
export function PreferencesWindow() {
  return (
    <main className="preferences-window">
      <h1>Preferences</h1>
      <div className="dialog-buttons">
        <button type="button" onClick={() => void burrow.invoke('window:close')}>
          Close
        </button>
      </div>
    </main>
  );
}
