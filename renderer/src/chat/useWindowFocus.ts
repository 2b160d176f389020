import { useEffect, useState } from 'react';

function isFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** Whether the user is looking at this window: it is visible and has the focus. */
export function useWindowFocus(): boolean {
  const [focused, setFocused] = useState(isFocused);
  useEffect(() => {
    const update = () => setFocused(isFocused());
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, []);
  return focused;
}
