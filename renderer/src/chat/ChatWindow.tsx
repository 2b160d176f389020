import { burrow } from '../api/burrow.js';

/** The chat window. Until a server community exists, it says how to add one. */
export function ChatWindow() {
  return (
    <main className="chat-window">
      <section className="empty-state" aria-labelledby="welcome-title">
        <h1 id="welcome-title">Welcome to Burrow</h1>
        <p>
          Burrow reaches your server community from any network. Add your community under{' '}
          <strong>File › Preferences › Server Communities</strong> to start chatting.
        </p>
        <button type="button" className="primary" onClick={() => void burrow.invoke('window:openPreferences')}>
          Open Preferences
        </button>
      </section>
    </main>
  );
}
