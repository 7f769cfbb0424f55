// A long markdown reply like a model's answer (paragraphs, lists and code fences of fresh words), for the streaming
// bench and the block splitter's equality test.
import { freshText } from './freshText';

export function markdownReply(chars: number, seed: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const body = freshText(400, seed * 7919 + i).replace(/```/g, '');
    const block =
      i % 5 === 3 ? `\`\`\`ts\n${body}\n\`\`\`` : i % 5 === 1 ? `- ${body.slice(0, 200)}\n- ${body.slice(200)}` : body;
    out.push(block);
    size += block.length + 2;
  }
  return out.join('\n\n');
}
