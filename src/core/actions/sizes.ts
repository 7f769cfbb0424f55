// Sizes of text as people read them ("2.4 MB"), for the messages of the code actions.

/** `chars` (treated as bytes of text) as B, KB or MB with at most one decimal. */
export function formatBytes(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${trim(chars / 1024)} KB`;
  return `${trim(chars / (1024 * 1024))} MB`;
}

const trim = (n: number) => (Math.round(n * 10) / 10).toString();
