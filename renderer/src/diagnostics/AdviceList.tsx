import type { PreferencesField } from '../../../electron/contract/diagnosis.js';
import { adviserWords, preferencesFieldWords, type Advice } from '../../../electron/contract/diagnosis-words.js';

/** What to do, by who can do it; the user's own advice links to the field of Preferences it is about. */
export function AdviceList({ advice, onShowField }: { advice: readonly Advice[]; onShowField?: ((field: PreferencesField) => void) | undefined }) {
  if (advice.length === 0) return null;
  return (
    <ul className="advice" aria-label="What to do">
      {advice.map(({ by, words, field }) => (
        <li key={`${by} ${words}`}>
          <strong>{adviserWords[by]}:</strong> {words}
          {field && onShowField && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => onShowField(field)}>
                Go to {preferencesFieldWords[field]}
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
