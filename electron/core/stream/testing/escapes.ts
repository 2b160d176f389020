/**
 * Errors that escape to the process while a test runs: thrown where nothing catches them (an event
 * handler, say), or rejected where nothing waits. In Burrow's core process they would end it.
 */
export function watchEscapes(): { readonly escaped: unknown[]; stop(): void } {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  return {
    escaped,
    stop: () => {
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
    },
  };
}
