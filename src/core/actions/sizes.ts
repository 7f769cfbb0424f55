// Sizes of text as people read them ("2.4 MB"), for the messages of the code actions. The number follows the display
// language (displayLocale); the units B, KB and MB read the same in English and Chinese.
import { numberFormat } from '../../shared/format';

/** `chars` (treated as bytes of text) as B, KB or MB with at most one decimal. */
export function formatBytes(chars: number): string {
  if (chars < 1024) return `${trim(chars)} B`;
  if (chars < 1024 * 1024) return `${trim(chars / 1024)} KB`;
  return `${trim(chars / (1024 * 1024))} MB`;
}

const trim = (n: number) => numberFormat('size', { maximumFractionDigits: 1, useGrouping: false }).format(n);
