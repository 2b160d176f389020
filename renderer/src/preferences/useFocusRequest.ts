import { useEffect, useState } from 'react';

/** Moves focus to an element by id once it has rendered, e.g. a field in a tab that is being opened. */
export function useFocusRequest(): (elementId: string) => void {
  const [request, setRequest] = useState<{ elementId: string } | null>(null);
  useEffect(() => {
    if (!request) return;
    const element = document.getElementById(request.elementId);
    element?.focus();
    if (element instanceof HTMLInputElement) element.select();
  }, [request]);
  // A new object each time, so that asking for the same element twice focuses it twice.
  return (elementId) => setRequest({ elementId });
}
