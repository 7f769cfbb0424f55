// The one way to turn a caught value into text for a log line or a user message: an Error's message, else String().
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
